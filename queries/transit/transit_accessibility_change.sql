-- Before/after: opportunities reachable per zone with the base feeds and with the scenario feeds,
-- and the change (absolute and percent).
-- grain: zone_id, percentile, cutoff_min
-- inputs: accessibility_results, scenario_accessibility_results, zones
-- reference: research/transit.md §2 (r5 scenario comparison)
with base as (
    select * from accessibility_results
),

scenario as (
    select * from scenario_accessibility_results
),

final as (
    select
        b.zone_id, b.percentile, b.cutoff_min,
        z.population, z.equity_area,
        b.opportunities as base_opportunities,
        s.opportunities as scenario_opportunities,
        s.opportunities - b.opportunities as change,
        round(100 * (s.opportunities - b.opportunities) / nullif(b.opportunities, 0), 2) as change_pct
    from base as b
    join scenario as s using (zone_id, percentile, cutoff_min)
    join zones as z using (zone_id)
)

select * from final
