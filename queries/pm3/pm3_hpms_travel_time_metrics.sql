-- The HPMS Travel Time Metric Specifications dataset: one row per NHS mainline reporting segment (TMC), fields in HPMS order.
-- grain: Travel_Time_Code
-- inputs: pm3_segments
-- params: year, state_code, fill_missing
-- reference: HPMS Field Manual Supplemental Guidance, Travel Time Metric Data Reporting (Feb 2018, rev. Apr 25 2018) Table 1; 23 CFR 490.511(e), 490.611(b), 490.711(f)
with segments as (
    select * from pm3_segments where nhs_system is not null
),

final as (
    select
        $year::integer as Year_Record,
        $state_code::integer as State_Code,
        tmc_code as Travel_Time_Code,
        f_system::integer as F_System,
        urban_code::integer as Urban_Code,
        faciltype::integer as Facility_Type,
        nhs::integer as NHS,
        segment_length as Segment_Length,
        -- 1 N, 2 S, 3 E, 4 W, 5 other; NPMRDS spells directions out (NORTHBOUND)
        case upper(left(trim(direction), 1)) when 'N' then 1 when 'S' then 2 when 'E' then 3 when 'W' then 4 else 5 end as Directionality,
        round(dir_aadt)::integer as DIR_AADT,
        -- Metrics to the hundredth; percentiles reported to the nearest second (490.511(e)(2))
        coalesce(lottr_amp, case when $fill_missing then 1.00 end) as LOTTR_AMP,
        coalesce(round(tt_amp50pct)::integer, case when $fill_missing then 0 end) as TT_AMP50PCT,
        coalesce(round(tt_amp80pct)::integer, case when $fill_missing then 0 end) as TT_AMP80PCT,
        coalesce(lottr_midd, case when $fill_missing then 1.00 end) as LOTTR_MIDD,
        coalesce(round(tt_midd50pct)::integer, case when $fill_missing then 0 end) as TT_MIDD50PCT,
        coalesce(round(tt_midd80pct)::integer, case when $fill_missing then 0 end) as TT_MIDD80PCT,
        coalesce(lottr_pmp, case when $fill_missing then 1.00 end) as LOTTR_PMP,
        coalesce(round(tt_pmp50pct)::integer, case when $fill_missing then 0 end) as TT_PMP50PCT,
        coalesce(round(tt_pmp80pct)::integer, case when $fill_missing then 0 end) as TT_PMP80PCT,
        coalesce(lottr_we, case when $fill_missing then 1.00 end) as LOTTR_WE,
        coalesce(round(tt_we50pct)::integer, case when $fill_missing then 0 end) as TT_WE50PCT,
        coalesce(round(tt_we80pct)::integer, case when $fill_missing then 0 end) as TT_WE80PCT,
        -- Freight fields on the Interstate only (490.611)
        case when f_system = 1 then coalesce(tttr_amp, case when $fill_missing then 1.00 end) end as TTTR_AMP,
        case when f_system = 1 then coalesce(round(ttt_amp50pct)::integer, case when $fill_missing then 0 end) end as TTT_AMP50PCT,
        case when f_system = 1 then coalesce(round(ttt_amp95pct)::integer, case when $fill_missing then 0 end) end as TTT_AMP95PCT,
        case when f_system = 1 then coalesce(tttr_midd, case when $fill_missing then 1.00 end) end as TTTR_MIDD,
        case when f_system = 1 then coalesce(round(ttt_midd50pct)::integer, case when $fill_missing then 0 end) end as TTT_MIDD50PCT,
        case when f_system = 1 then coalesce(round(ttt_midd95pct)::integer, case when $fill_missing then 0 end) end as TTT_MIDD95PCT,
        case when f_system = 1 then coalesce(tttr_pmp, case when $fill_missing then 1.00 end) end as TTTR_PMP,
        case when f_system = 1 then coalesce(round(ttt_pmp50pct)::integer, case when $fill_missing then 0 end) end as TTT_PMP50PCT,
        case when f_system = 1 then coalesce(round(ttt_pmp95pct)::integer, case when $fill_missing then 0 end) end as TTT_PMP95PCT,
        case when f_system = 1 then coalesce(tttr_we, case when $fill_missing then 1.00 end) end as TTTR_WE,
        case when f_system = 1 then coalesce(round(ttt_we50pct)::integer, case when $fill_missing then 0 end) end as TTT_WE50PCT,
        case when f_system = 1 then coalesce(round(ttt_we95pct)::integer, case when $fill_missing then 0 end) end as TTT_WE95PCT,
        case when f_system = 1 then coalesce(tttr_ovn, case when $fill_missing then 1.00 end) end as TTTR_OVN,
        case when f_system = 1 then coalesce(round(ttt_ovn50pct)::integer, case when $fill_missing then 0 end) end as TTT_OVN50PCT,
        case when f_system = 1 then coalesce(round(ttt_ovn95pct)::integer, case when $fill_missing then 0 end) end as TTT_OVN95PCT,
        -- Person-hours to the thousandth, only in urbanized areas where it was computed (490.711(f))
        round(phed_person_hours, 3) as PHED,
        -- Empty: FHWA's occupancy factor (1.7) is used; a State reporting its own fills this
        null::double as OCC_FAC,
        1 as METRIC_SOURCE,
        case
            when $fill_missing and (lottr_periods < 4 or (f_system = 1 and tttr_periods < 5))
                then 'no travel times in '
                    || ((4 - lottr_periods) + (case when f_system = 1 then 5 - tttr_periods else 0 end))::integer
                    || ' period(s); filled 1.00/0'
        end as Comments
    from segments
)

select * from final
