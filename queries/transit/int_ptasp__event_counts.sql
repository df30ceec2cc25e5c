-- Annual safety counts per agency, PTASP modal group and year, from event-level records: major
-- events, fatalities and injuries with their transit-worker subsets, collisions with the pedestrian
-- and vehicular subsets, and assaults on transit workers.
-- grain: agency, mode, year
-- inputs: ptasp_events, ptasp_mode_groups
-- reference: 89 FR 25316 (National Safety Plan 2024) pp. 25319-25322; data/transit/README.md
with events as (
    select * from ptasp_events
),

groups as (
    select upper(trim(ntd_mode)) as ntd_mode, mode_group from ptasp_mode_groups
),

-- targets are set by modal group, not by NTD mode (notice p. 25320: fixed route bus, non-fixed
-- route bus, rail); a code missing from the table stays its own group rather than being dropped
classified as (
    select
        events.agency,
        coalesce(groups.mode_group, upper(trim(events.mode))) as mode,
        year(events.date) as year,
        lower(trim(events.event_type)) = 'collision' as is_collision,
        lower(trim(coalesce(events.collision_with, ''))) as collision_with,
        coalesce(events.major, true) as is_major,
        coalesce(events.assault_on_transit_worker, false) as is_assault_on_worker,
        coalesce(events.fatalities, 0) as fatalities,
        coalesce(events.injuries, 0) as injuries,
        coalesce(events.transit_worker_fatalities, 0) as transit_worker_fatalities,
        coalesce(events.transit_worker_injuries, 0) as transit_worker_injuries
    from events
    left join groups on groups.ntd_mode = upper(trim(events.mode))
),

final as (
    select
        agency, mode, year,
        -- "all safety and security major events as defined by the NTD" (p. 25319)
        count(*) filter (where is_major)::double as major_events,
        -- people are counted from every event given; whether the plan also counts casualties of
        -- non-major events (S&S-50) was not verified (data/transit/README.md)
        sum(fatalities) as fatalities,
        sum(injuries) as injuries,
        sum(transit_worker_fatalities) as transit_worker_fatalities,
        sum(transit_worker_injuries) as transit_worker_injuries,
        count(*) filter (where is_collision)::double as collisions,
        -- pedestrian: a person on foot; vehicular: another road vehicle. Cyclists, rail vehicles and
        -- objects count only as collisions (partner categories are ours, not the NTD's)
        count(*) filter (where is_collision and collision_with = 'pedestrian')::double as pedestrian_collisions,
        count(*) filter (where is_collision and collision_with = 'motor_vehicle')::double as vehicular_collisions,
        count(*) filter (where is_assault_on_worker)::double as assaults_on_transit_workers,
        count(*) as events_given
    from classified
    group by agency, mode, year
)

select * from final
