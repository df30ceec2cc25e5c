-- The network on the service date in one row: trips, scheduled revenue hours and miles, routes,
-- stops served, frequent routes and stops, and the feeds included.
-- grain: service_date
-- inputs: transit_route_service, transit_stop_service, int_transit__active_services, int_transit__trip_instances
-- params: service_date
-- reference: research/transit.md §2b
with sweep as (
    select sum(delta) over (order by t, delta rows unbounded preceding) as in_service
    from (
        select first_departure_secs as t, 1 as delta from int_transit__trip_instances
        union all
        select last_arrival_secs as t, -1 as delta from int_transit__trip_instances
    )
),

routes as (
    select * from transit_route_service
),

stops as (
    select * from transit_stop_service
),

final as (
    select
        $service_date::date as service_date,
        (select count(distinct feed_id) from routes) as feeds,
        (select count(*) from int_transit__trip_instances) as trips,
        (select round(coalesce(sum(last_arrival_secs - first_departure_secs), 0) / 3600, 4) from int_transit__trip_instances) as revenue_hours,
        (select round(coalesce(sum(distance_m), 0) / 1609.344, 3) from int_transit__trip_instances) as revenue_miles,
        (select coalesce(max(in_service), 0) from sweep) as peak_trips_in_service,
        (select count(*) from int_transit__trip_instances where instance <= 1) as unexpanded_trips,
        (select round(coalesce(sum(duration_secs), 0) / 3600, 4) from int_transit__trip_instances where instance <= 1) as unexpanded_revenue_hours,
        count(*) as routes,
        count(*) filter (where frequent) as frequent_routes,
        (select count(*) from stops where departures > 0) as stops_served,
        (select count(*) from stops where frequent) as frequent_stops,
        (select count(*) from int_transit__active_services) as active_services
    from routes
)

select * from final
