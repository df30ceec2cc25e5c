-- Service ids running on the service date: calendar.txt weekday pattern within its date range,
-- plus calendar_dates additions, minus removals (removal wins). A service may exist only in
-- calendar_dates.
-- grain: feed_id, service_id
-- inputs: gtfs_calendar, gtfs_calendar_dates
-- params: service_date
-- reference: GTFS Schedule reference, calendar.txt and calendar_dates.txt (exception_type 1/2)
with calendar as (
    select * from gtfs_calendar
),

exceptions as (
    select * from gtfs_calendar_dates where date = $service_date::date
),

weekly as (
    select feed_id, service_id
    from calendar
    where $service_date::date between start_date and end_date
        and 1 = case isodow($service_date::date)
            when 1 then monday when 2 then tuesday when 3 then wednesday when 4 then thursday
            when 5 then friday when 6 then saturday else sunday end
),

added as (
    select feed_id, service_id from exceptions where exception_type = 1
),

removed as (
    select feed_id, service_id from exceptions where exception_type = 2
),

final as (
    select distinct feed_id, service_id, $service_date::date as service_date
    from (select * from weekly union all select * from added) as running
    anti join removed using (feed_id, service_id)
)

select * from final
