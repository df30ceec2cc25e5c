-- Opportunities (jobs by default) reachable from each zone by transit and walking within each
-- cutoff, at each travel-time percentile over the departure window, with the zone's population
-- and equity flag and the share of all the region's opportunities.
-- grain: zone_id, percentile, cutoff_min
-- inputs: accessibility_results, accessibility_zone_opportunities, zones
-- reference: research/transit.md §3.2 (r5 TravelTimeReducer: percentile of travel time, step cutoff)
with results as (
    select * from accessibility_results
),

region as (
    select sum(opportunities) as total from (select distinct zone_id, opportunities from accessibility_zone_opportunities)
),

final as (
    select
        r.zone_id, r.percentile, r.cutoff_min,
        r.opportunities,
        round(r.opportunities / nullif((select total from region), 0), 6) as share_of_region,
        z.population, z.equity_area
    from results as r
    join zones as z using (zone_id)
)

select * from final
