-- Every arrival/departure at a stop on the service date (trip instances × template stop times,
-- shifted by the instance offset), with the time band of the departure (GTFS time: hours ≥ 24
-- are after midnight of the service day). `boards` = a rider can get on here (not the last stop,
-- pickup allowed).
-- grain: feed_id, trip_id, instance, stop_sequence
-- inputs: int_transit__trip_instances, gtfs_stop_times
-- reference: GTFS Schedule reference, stop_times.txt pickup_type; research/transit.md §2b time bands
with instances as (
    select * from int_transit__trip_instances
),

final as (
    select
        i.feed_id, i.trip_id, i.instance, st.stop_sequence, st.stop_id, i.route_id, i.direction_id,
        st.arrival_secs + i.offset_secs as arrival_secs,
        st.departure_secs + i.offset_secs as departure_secs,
        st.interpolated, st.pickup_type, st.drop_off_type,
        st.stop_sequence < max(st.stop_sequence) over (partition by i.feed_id, i.trip_id, i.instance)
            and coalesce(st.pickup_type, 0) <> 1 as boards,
        case
            when st.departure_secs + i.offset_secs < 4 * 3600 then 'night'
            when st.departure_secs + i.offset_secs < 6 * 3600 then 'early'
            when st.departure_secs + i.offset_secs < 9 * 3600 then 'am_peak'
            when st.departure_secs + i.offset_secs < 15 * 3600 then 'midday'
            when st.departure_secs + i.offset_secs < 18 * 3600 then 'pm_peak'
            when st.departure_secs + i.offset_secs < 22 * 3600 then 'evening'
            else 'night'
        end as time_band
    from instances as i
    join gtfs_stop_times as st using (feed_id, trip_id)
)

select * from final
