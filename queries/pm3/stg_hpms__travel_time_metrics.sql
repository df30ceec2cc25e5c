-- Reporting segments of a State's HPMS travel time metric file, in the shape of pm3_tmc, for the measures.
-- grain: tmc_code
-- inputs: hpms__travel_time_metrics
-- params: year
-- reference: 23 CFR 490.513(b)-(c), 490.613(b); HPMS Travel Time Metric specification Table 1
with source as (
    select * from hpms__travel_time_metrics where year_record = $year
),

final as (
    select
        travel_time_code as tmc_code,
        null::varchar as road,
        null::varchar as county,
        f_system::integer as f_system,
        urban_code::integer as urban_code,
        facility_type::integer as faciltype,
        nhs::integer as nhs,
        segment_length,
        dir_aadt,
        case
            when facility_type not in (1, 2, 6) then 'not_mainline'
            when nhs is null or not (nhs between 1 and 9) then 'not_nhs'
            when segment_length is null or segment_length <= 0 then 'no_nhs_length'
        end as excluded_reason,
        lottr_amp,
        lottr_midd,
        lottr_pmp,
        lottr_we,
        tttr_amp,
        tttr_midd,
        tttr_pmp,
        tttr_we,
        tttr_ovn,
        phed as phed_person_hours,
        coalesce(occ_fac, 1.7) as occupancy_factor
    from source
)

select
    * exclude (lottr_amp, lottr_midd, lottr_pmp, lottr_we, tttr_amp, tttr_midd, tttr_pmp, tttr_we, tttr_ovn),
    case when excluded_reason is null then case when f_system = 1 then 'interstate' else 'non_interstate_nhs' end end as nhs_system,
    lottr_amp, lottr_midd, lottr_pmp, lottr_we,
    (lottr_amp is not null)::integer + (lottr_midd is not null)::integer + (lottr_pmp is not null)::integer + (lottr_we is not null)::integer as lottr_periods,
    greatest(lottr_amp, lottr_midd, lottr_pmp, lottr_we) as lottr_max,
    -- The file's LOTTRs are already to the hundredth (490.513(b))
    case when coalesce(lottr_amp, lottr_midd, lottr_pmp, lottr_we) is not null then greatest(lottr_amp, lottr_midd, lottr_pmp, lottr_we) < 1.50 end as is_reliable,
    tttr_amp, tttr_midd, tttr_pmp, tttr_we, tttr_ovn,
    case when f_system = 1 then greatest(tttr_amp, tttr_midd, tttr_pmp, tttr_we, tttr_ovn) end as tttr_max,
    -- A segment without DIR_AADT carries no person-miles but still counts in the TTTR index (length-weighted)
    segment_length * nullif(dir_aadt, 0) * 365 * occupancy_factor as person_miles,
    null::varchar as phed_status
from final
