-- PTASP safety performance measures per agency, mode and year: the 2017 National Safety Plan's
-- fatalities, injuries and safety events (totals and per 100,000 vehicle revenue miles) and system
-- reliability (VRM ÷ major mechanical failures), and the 2024 plan's additions where the agency
-- gave their counts: collision rate with its pedestrian and vehicular subsets, transit worker
-- fatality and injury rates, and assaults on transit workers (total and rate); each with the
-- agency's target and whether it is met (rates: at or below target; MDBF: at or above).
-- grain: agency, mode, year, measure
-- inputs: ptasp_inputs
-- reference: 49 CFR 673; National Public Transportation Safety Plan (82 FR 5628, 2017; 89 FR 25316, 2024); research/transit.md §6
with inputs as (
    select * from ptasp_inputs
),

-- 2017 plan: totals and "rate per total VRM" by mode (Boston MPO memo 2024-02-15, Table 1),
-- expressed per 100,000 VRM as agencies report them (CMPDD PTASP page); MDBF per NTD's
-- major mechanical failure definition (research/transit.md §6).
nsp_2017 as (
    select agency, mode, year, vrm, '2017' as nsp, 'fatalities' as measure, fatalities as total, fatalities / nullif(vrm, 0) * 100000 as value, target_fatality_rate as target, 'at_most' as direction from inputs
    union all
    select agency, mode, year, vrm, '2017', 'injuries', injuries, injuries / nullif(vrm, 0) * 100000, target_injury_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2017', 'safety_events', safety_events, safety_events / nullif(vrm, 0) * 100000, target_event_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2017', 'mdbf', major_mechanical_failures, vrm / nullif(major_mechanical_failures, 0), target_mdbf, 'at_least' from inputs
),

-- 2024 plan additions, named as in Boston MPO's 2025-02-20 memo Table 1 ("Collision Rate by mode
-- (new)", "Pedestrian Collision Rate", "Vehicular Collision Rate") and research/transit.md §6
-- (transit worker fatality and injury rates, assaults on transit workers: count and rate).
-- Not verified against the plan's own text: its denominators (taken here as the same per
-- 100,000 VRM as the 2017 rates) and which NTD event types each count includes; the counts are
-- the agency's, as given. Rows appear only when the count was given.
nsp_2024 as (
    select agency, mode, year, vrm, '2024' as nsp, 'collisions' as measure, collisions as total, collisions / nullif(vrm, 0) * 100000 as value, target_collision_rate as target, 'at_most' as direction from inputs
    union all
    select agency, mode, year, vrm, '2024', 'pedestrian_collisions', pedestrian_collisions, pedestrian_collisions / nullif(vrm, 0) * 100000, target_pedestrian_collision_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2024', 'vehicular_collisions', vehicular_collisions, vehicular_collisions / nullif(vrm, 0) * 100000, target_vehicular_collision_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2024', 'transit_worker_fatalities', transit_worker_fatalities, transit_worker_fatalities / nullif(vrm, 0) * 100000, target_transit_worker_fatality_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2024', 'transit_worker_injuries', transit_worker_injuries, transit_worker_injuries / nullif(vrm, 0) * 100000, target_transit_worker_injury_rate, 'at_most' from inputs
    union all
    select agency, mode, year, vrm, '2024', 'assaults_on_transit_workers', assaults_on_transit_workers, assaults_on_transit_workers / nullif(vrm, 0) * 100000, target_assault_rate, 'at_most' from inputs
),

measures as (
    select * from nsp_2017
    union all
    select * from nsp_2024 where total is not null
),

final as (
    select
        agency, mode, year, measure, nsp,
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
