-- Departures and headways per stop and time band, all routes together: the stop-level
-- frequency a rider at the stop sees. mean_headway_min = band length / departures; max_gap_min =
-- the longest wait between consecutive departures inside the band.
-- grain: feed_id, stop_id, time_band
-- inputs: int_transit__stop_events
-- reference: research/transit.md §2b ("stop-level frequency"; tidytransit get_stop_frequency)
with departures as (
    select feed_id, stop_id, time_band, departure_secs
    from int_transit__stop_events
    where boards
),

bands as (
    select * from (values
        ('early', 120), ('am_peak', 180), ('midday', 360), ('pm_peak', 180), ('evening', 240), ('night', 360)
    ) as b(time_band, band_minutes)
),

gaps as (
    select *, departure_secs - lag(departure_secs) over (partition by feed_id, stop_id, time_band order by departure_secs) as gap_secs
    from departures
),

final as (
    select
        g.feed_id, g.stop_id, g.time_band,
        count(*) as departures,
        count(distinct g.departure_secs) as distinct_departure_times,
        round(b.band_minutes / count(*), 2) as mean_headway_min,
        round(max(g.gap_secs) / 60, 2) as max_gap_min
    from gaps as g
    join bands as b using (time_band)
    group by g.feed_id, g.stop_id, g.time_band, b.band_minutes
)

select * from final
