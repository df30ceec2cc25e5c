-- Trips scheduled on every date the feeds cover, and the "typical weekday" a planner would pick by
-- default: a Tuesday–Thursday whose trip count is the most common one among Tuesdays–Thursdays
-- (so holidays and one-off changes are avoided); the earliest such date.
-- grain: service_date
-- inputs: gtfs_calendar, gtfs_calendar_dates, int_transit__trip_stats
-- reference: research/transit.md §1.3 ("representative day")
with calendar as (
    select * from gtfs_calendar
),

weekly as (
    select c.feed_id, c.service_id, d::date as service_date
    from calendar as c,
        range(c.start_date::timestamp, c.end_date::timestamp + interval 1 day, interval 1 day) as r(d)
    where 1 = case isodow(d)
        when 1 then monday when 2 then tuesday when 3 then wednesday when 4 then thursday
        when 5 then friday when 6 then saturday else sunday end
),

running as (
    select feed_id, service_id, service_date from weekly
    anti join (select feed_id, service_id, date as service_date from gtfs_calendar_dates where exception_type = 2)
        using (feed_id, service_id, service_date)
    union
    select feed_id, service_id, date from gtfs_calendar_dates where exception_type = 1
),

per_date as (
    select r.service_date, count(*) as trips, count(distinct r.service_id) as services
    from running as r
    join int_transit__trip_stats as t using (feed_id, service_id)
    group by all
),

midweek as (
    select trips, count(*) as dates
    from per_date
    where isodow(service_date) between 2 and 4
    group by all
    order by dates desc, trips desc
    limit 1
),

final as (
    select p.service_date, dayname(p.service_date) as weekday, p.trips, p.services,
        p.service_date = (
            select min(service_date) from per_date where isodow(service_date) between 2 and 4 and trips = (select trips from midweek)
        ) as typical_weekday
    from per_date as p
)

select * from final
