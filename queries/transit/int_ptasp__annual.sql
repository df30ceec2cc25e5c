-- One row per agency, PTASP modal group and year with the VRM, major mechanical failures, the
-- safety counts (from event-level records when there are any for that agency, group and year,
-- else as given in the annual table) and the agency's targets.
-- grain: agency, mode, year
-- inputs: ptasp_inputs, int_ptasp__event_counts, ptasp_mode_groups
-- reference: 89 FR 25316 p. 25320 (targets by modal group); data/transit/README.md
with annual as (
    select * from ptasp_inputs
),

groups as (
    select upper(trim(ntd_mode)) as ntd_mode, mode_group from ptasp_mode_groups
),

-- an annual row may name an NTD mode code (grouped) or anything else (a group name, "bus"), kept
-- as given so agencies that already report by modal group need no codes
annual_grouped as (
    select
        annual.agency,
        coalesce(groups.mode_group, annual.mode) as mode,
        annual.year,
        sum(vrm) as vrm,
        max(rate_per_vrm) as rate_per_vrm,
        sum(major_mechanical_failures) as major_mechanical_failures,
        sum(fatalities) as fatalities,
        sum(injuries) as injuries,
        sum(major_events) as major_events,
        sum(collisions) as collisions,
        sum(pedestrian_collisions) as pedestrian_collisions,
        sum(vehicular_collisions) as vehicular_collisions,
        sum(transit_worker_fatalities) as transit_worker_fatalities,
        sum(transit_worker_injuries) as transit_worker_injuries,
        sum(assaults_on_transit_workers) as assaults_on_transit_workers,
        -- several NTD modes of one group share the group's target; max() picks it when they agree
        max(target_fatalities) as target_fatalities,
        max(target_fatality_rate) as target_fatality_rate,
        max(target_transit_worker_fatality_rate) as target_transit_worker_fatality_rate,
        max(target_injuries) as target_injuries,
        max(target_injury_rate) as target_injury_rate,
        max(target_transit_worker_injury_rate) as target_transit_worker_injury_rate,
        max(target_major_events) as target_major_events,
        max(target_major_event_rate) as target_major_event_rate,
        max(target_collision_rate) as target_collision_rate,
        max(target_pedestrian_collision_rate) as target_pedestrian_collision_rate,
        max(target_vehicular_collision_rate) as target_vehicular_collision_rate,
        max(target_assaults_on_transit_workers) as target_assaults_on_transit_workers,
        max(target_assault_on_transit_worker_rate) as target_assault_on_transit_worker_rate,
        max(target_mdbf) as target_mdbf
    from annual
    left join groups on groups.ntd_mode = upper(trim(annual.mode))
    group by annual.agency, coalesce(groups.mode_group, annual.mode), annual.year
),

events as (
    select * from int_ptasp__event_counts
),

final as (
    select
        coalesce(a.agency, e.agency) as agency,
        coalesce(a.mode, e.mode) as mode,
        coalesce(a.year, e.year) as year,
        a.vrm,
        a.rate_per_vrm,
        a.major_mechanical_failures,
        case when e.agency is not null then 'events' else 'annual' end as count_source,
        case when e.agency is not null then e.fatalities else a.fatalities end as fatalities,
        case when e.agency is not null then e.injuries else a.injuries end as injuries,
        case when e.agency is not null then e.major_events else a.major_events end as major_events,
        case when e.agency is not null then e.collisions else a.collisions end as collisions,
        case when e.agency is not null then e.pedestrian_collisions else a.pedestrian_collisions end as pedestrian_collisions,
        case when e.agency is not null then e.vehicular_collisions else a.vehicular_collisions end as vehicular_collisions,
        case when e.agency is not null then e.transit_worker_fatalities else a.transit_worker_fatalities end as transit_worker_fatalities,
        case when e.agency is not null then e.transit_worker_injuries else a.transit_worker_injuries end as transit_worker_injuries,
        case when e.agency is not null then e.assaults_on_transit_workers else a.assaults_on_transit_workers end as assaults_on_transit_workers,
        a.* exclude (agency, mode, year, vrm, rate_per_vrm, major_mechanical_failures, fatalities, injuries, major_events, collisions,
            pedestrian_collisions, vehicular_collisions, transit_worker_fatalities, transit_worker_injuries, assaults_on_transit_workers)
    from annual_grouped as a
    full outer join events as e
        on e.agency = a.agency and e.mode = a.mode and e.year = a.year
)

select * from final
