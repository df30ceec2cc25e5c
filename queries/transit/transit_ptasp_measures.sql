-- PTASP safety performance measures per agency, mode and year: fatalities, injuries and safety
-- events (totals and per 100,000 vehicle revenue miles) and system reliability as the mean distance
-- between major mechanical failures (VRM ÷ failures), with the agency's target and whether it is met
-- (rates: at or below target; MDBF: at or above).
-- grain: agency, mode, year, measure
-- inputs: ptasp_inputs
-- reference: 49 CFR 673; National Public Transportation Safety Plan (89 FR 25316); research/transit.md §6
with inputs as (
    select * from ptasp_inputs
),

measures as (
    select agency, mode, year, vrm, 'fatalities' as measure, fatalities as total, fatalities / nullif(vrm, 0) * 100000 as value, target_fatality_rate as target, 'at_most' as direction from inputs
    union all
    select agency, mode, year, vrm, 'injuries', injuries, injuries / nullif(vrm, 0) * 100000, target_injury_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, 'safety_events', safety_events, safety_events / nullif(vrm, 0) * 100000, target_event_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, 'mdbf', major_mechanical_failures, vrm / nullif(major_mechanical_failures, 0), target_mdbf, 'at_least' from inputs
),

final as (
    select
        agency, mode, year, measure,
        total,
        round(value, 3) as value,
        case when measure = 'mdbf' then 'miles between failures' else 'per 100,000 VRM' end as unit,
        vrm,
        target,
        case
            when target is null or value is null then null
            when direction = 'at_most' then value <= target
            else value >= target
        end as target_met
    from measures
)

select * from final
