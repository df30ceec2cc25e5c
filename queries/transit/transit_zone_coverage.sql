-- For each zone (block group or TAZ centroid): distance to the nearest served stop and nearest
-- frequent stop, and whether they lie within ¼ mile (402.336 m) and ½ mile (804.672 m). Airline
-- (straight-line) distance: it overstates walk access compared with a street network.
-- grain: zone_id
-- inputs: zones, transit_stop_service
-- reference: research/transit.md §2b "Coverage"
with zones as (
    select * from zones
),

stops as (
    select stop_id, stop_lat, stop_lon, frequent from transit_stop_service where departures > 0 and stop_lat is not null
),

-- bounding box of ½ mile first (1° latitude ≈ 111,320 m), then haversine
pairs as (
    select z.zone_id, s.frequent,
        2 * 6371008.8 * asin(sqrt(
            power(sin(radians(s.stop_lat - z.lat) / 2), 2)
            + cos(radians(z.lat)) * cos(radians(s.stop_lat)) * power(sin(radians(s.stop_lon - z.lon) / 2), 2)
        )) as meters
    from zones as z
    join stops as s
        on s.stop_lat between z.lat - 804.672 / 111320 and z.lat + 804.672 / 111320
        and s.stop_lon between z.lon - 804.672 / (111320 * cos(radians(z.lat))) and z.lon + 804.672 / (111320 * cos(radians(z.lat)))
),

nearest as (
    select zone_id, min(meters) as nearest_stop_m, min(meters) filter (where frequent) as nearest_frequent_stop_m
    from pairs
    where meters <= 804.672
    group by all
),

final as (
    select
        z.zone_id, z.population, z.jobs, z.equity_area,
        round(n.nearest_stop_m, 1) as nearest_stop_m,
        round(n.nearest_frequent_stop_m, 1) as nearest_frequent_stop_m,
        coalesce(n.nearest_stop_m <= 402.336, false) as stop_within_quarter_mile,
        n.nearest_stop_m is not null as stop_within_half_mile,
        coalesce(n.nearest_frequent_stop_m <= 402.336, false) as frequent_within_quarter_mile,
        n.nearest_frequent_stop_m is not null as frequent_within_half_mile
    from zones as z
    left join nearest as n using (zone_id)
)

select * from final
