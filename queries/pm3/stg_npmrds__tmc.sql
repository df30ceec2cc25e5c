-- NPMRDS TMC segments with the attributes the PM3 measures use, in house column names.
-- grain: tmc_code
-- inputs: npmrds__tmc_identification
-- params: none
-- reference: FHWA-HIF-18-040 pp. 2-2 to 2-6, 2-15; 23 CFR 490.503, 490.509(c)
with source as (
    select * from npmrds__tmc_identification
),

renamed as (
    select
        tmc as tmc_code,
        road,
        direction,
        intersection,
        state,
        county,
        miles,
        timezone_name,
        f_system,
        urban_code,
        faciltype,
        nhs,
        -- Exports without nhs_pct: a TMC coded on the NHS counts in full
        coalesce(nhs_pct, case when nhs between 1 and 9 then 100 end) as nhs_pct,
        isprimary,
        aadt,
        aadt_singl,
        aadt_combi,
        aadt_unidir,
        start_latitude,
        start_longitude,
        end_latitude,
        end_longitude
    from source
),

final as (
    select
        *,
        -- Directional factor 0.5 on two-way facilities (faciltype 2) and on the non-inventory
        -- direction (6), 1 on one-way (1): HIF-18-040 p. 2-15. NPMRDS's own aadt_unidir rounds
        -- the half up; use it when the file has it, the same rule otherwise.
        coalesce(
            aadt_unidir,
            case when faciltype in (2, 6) then ceil(aadt / 2) when faciltype = 1 then aadt end
        ) as dir_aadt,
        -- Reporting segment length is the NHS portion, to the thousandth of a mile (23 CFR 490.513(b); HPMS Segment_Length)
        round(miles * nhs_pct / 100, 3) as segment_length,
        case
            when f_system is null or faciltype is null or nhs is null then 'missing_hpms_attributes'
            when faciltype not in (1, 2, 6) then 'not_mainline'          -- HIF-18-040 p. 2-6: mainline only
            when not (nhs between 1 and 9) or coalesce(nhs_pct, 0) <= 0 then 'not_nhs'
            when isprimary = 0 then 'overlapping_tmc'                  -- counted once, on the primary TMC
        end as excluded_reason
    from renamed
)

select
    *,
    case
        when excluded_reason is not null then null
        when f_system = 1 then 'interstate'
        else 'non_interstate_nhs'
    end as nhs_system
from final
