-- Departures and headways per route, direction and time band, counted at each trip's first stop.
-- mean_headway_min = band length / departures (tidytransit convention); max_gap_min = the longest
-- wait between consecutive departures inside the band (what a rider experiences).
-- grain: feed_id, route_id, direction_id, time_band
-- inputs: int_transit__trip_instances
-- reference: research/transit.md §2b "Headway by band"
with starts as (
    select feed_id, route_id, coalesce(direction_id, 0) as direction_id, first_departure_secs as t,
        case
            when first_departure_secs < 4 * 3600 then 'night'
            when first_departure_secs < 6 * 3600 then 'early'
            when first_departure_secs < 9 * 3600 then 'am_peak'
            when first_departure_secs < 15 * 3600 then 'midday'
            when first_departure_secs < 18 * 3600 then 'pm_peak'
            when first_departure_secs < 22 * 3600 then 'evening'
            else 'night'
        end as time_band
    from int_transit__trip_instances
),

bands as (
    select * from (values
        ('early', 120), ('am_peak', 180), ('midday', 360), ('pm_peak', 180), ('evening', 240), ('night', 360)
    ) as b(time_band, band_minutes)
),

gaps as (
    select *, t - lag(t) over (partition by feed_id, route_id, direction_id, time_band order by t) as gap_secs
    from starts
),

final as (
    select
        g.feed_id, g.route_id, g.direction_id, g.time_band,
        count(*) as departures,
        round(b.band_minutes / count(*), 2) as mean_headway_min,
        round(max(g.gap_secs) / 60, 2) as max_gap_min,
        b.band_minutes
    from gaps as g
    join bands as b using (time_band)
    group by g.feed_id, g.route_id, g.direction_id, g.time_band, b.band_minutes
)

select * from final
