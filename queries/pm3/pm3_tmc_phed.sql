-- Peak hour excessive delay (person-hours) per NHS mainline TMC in an urbanized area, for one calendar year.
-- grain: tmc_code
-- inputs: int_npmrds__epochs, stg_npmrds__tmc, int_pm3__volume_profiles, speed_limits, pm3_hourly_profiles, pm3_month_factors, pm3_dow_factors, pm3_avo_factors, urbanized_area_population
-- params: year, peak_pm_start
-- reference: 23 CFR 490.705, 490.709(b)-(e), 490.711; FHWA-HIF-18-040 pp. 2-18 to 2-23 and §1
with tmc as (
    select * from stg_npmrds__tmc where excluded_reason is null
),

bus_avo as (
    -- FHWA's bus occupancy for the urbanized area (AVO-2018 Table 2), matched on the area's
    -- principal city; the population file may state its own; else the national 10.7 (AVO-2018 §2.1.2).
    select
        u.urban_code,
        coalesce(
            u.bus_avo,
            (select max(a.avo) from pm3_avo_factors as a
             where a.vehicle_type = 'bus' and split_part(lower(a.area), ',', 1) = split_part(lower(u.name), ',', 1)),
            (select max(a.avo) from pm3_avo_factors as a where a.vehicle_type = 'bus' and a.area = 'National')
        ) as avo_bus
    from urbanized_area_population as u
),

segments as (
    select
        t.tmc_code,
        t.miles,
        t.nhs_pct,
        t.dir_aadt,
        t.urban_code,
        s.speed_limit,
        -- max(20 mph, 0.6 x posted speed limit), not rounded (490.711(c); HIF-18-040 p. 2-18)
        case when s.speed_limit > 0 then greatest(20, 0.6 * s.speed_limit) end as threshold_speed,
        -- EDTTT to the nearest second, length to the thousandth of a mile (490.711(c))
        case when s.speed_limit > 0 then round(round(t.miles, 3) / greatest(20, 0.6 * s.speed_limit) * 3600) end as edttt,
        -- Buses = single-unit AADT, trucks = combination AADT, cars = the rest (490.709(d)(1)(ii))
        coalesce(t.aadt_singl, 0) / nullif(t.aadt, 0) as p_bus,
        coalesce(t.aadt_combi, 0) / nullif(t.aadt, 0) as p_truck,
        p.weekday_profile,
        case
            when t.urban_code is null or t.urban_code >= 99998 then 'not_in_urbanized_area'
            when s.speed_limit is null or s.speed_limit <= 0 then 'no_speed_limit'
            when t.dir_aadt is null or t.aadt is null or t.aadt <= 0 then 'no_aadt'
            else 'computed'
        end as phed_status
    from tmc as t
    left join speed_limits as s on s.tmc_code = t.tmc_code
    left join int_pm3__volume_profiles as p on p.tmc_code = t.tmc_code
),

occupancy as (
    select
        s.*,
        (1 - s.p_bus - s.p_truck) * (select avo from pm3_avo_factors where vehicle_type = 'car')
            + s.p_bus * coalesce(b.avo_bus, (select max(avo) from pm3_avo_factors where vehicle_type = 'bus' and area = 'National'))
            + s.p_truck * (select avo from pm3_avo_factors where vehicle_type = 'truck') as avo
    from segments as s
    left join bus_avo as b on b.urban_code = s.urban_code
),

bins as (
    -- Weekday peak hours: 6-10 and 15-19 or 16-20 (490.705). Only bins with a travel time count (490.711(e) "TB").
    select r.tmc_code, r.measurement_tstamp as ts, r.tt_all as tt
    from int_npmrds__epochs as r
    where r.tt_all is not null
      and r.measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and r.measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
      and isodow(r.measurement_tstamp) <= 5
      and (hour(r.measurement_tstamp) between 6 and 9
           or hour(r.measurement_tstamp) between $peak_pm_start and $peak_pm_start + 3)
),

delay as (
    select
        b.tmc_code,
        -- RSD to the nearest second, at most 900 s per 15-minute bin (490.711(d)(1))
        least(round(b.tt - o.edttt), 900) as rsd,
        -- Hourly volume = directional AADT x month x day-of-week x hour share (HIF-18-040 §1),
        -- a quarter of it per bin, to the tenth (490.711(e))
        round(o.dir_aadt * m.factor * d.factor * h.pct_of_daily / 4, 1) as volume15,
        o.avo,
        o.nhs_pct
    from bins as b
    join occupancy as o on o.tmc_code = b.tmc_code and o.phed_status = 'computed'
    join pm3_month_factors as m on m.month = month(b.ts)
    join pm3_dow_factors as d on d.isodow = isodow(b.ts)
    join pm3_hourly_profiles as h on h.profile_code = o.weekday_profile and h.hour = hour(b.ts)
),

bin_delay as (
    select
        tmc_code,
        rsd,
        -- ED in hours to the thousandth, none below the threshold (490.711(d)(2))
        case when rsd >= 0 then round(rsd / 3600, 3) else 0 end as ed,
        volume15,
        avo,
        nhs_pct
    from delay
),

per_tmc as (
    select
        tmc_code,
        count(*) as peak_bins,
        count(*) filter (where ed > 0) as delay_bins,
        -- Total delay per bin to the thousandth, weighted by the NHS share (HIF-18-040 p. 2-20)
        round(sum(round(avo * ed * volume15 * nhs_pct * 0.01, 3)), 3) as phed_person_hours
    from bin_delay
    group by tmc_code
),

final as (
    select
        o.tmc_code,
        o.urban_code,
        o.speed_limit,
        o.threshold_speed,
        o.edttt,
        o.avo,
        o.weekday_profile,
        o.phed_status,
        coalesce(p.peak_bins, 0) as peak_bins,
        coalesce(p.delay_bins, 0) as delay_bins,
        case when o.phed_status = 'computed' then coalesce(p.phed_person_hours, 0) end as phed_person_hours
    from occupancy as o
    left join per_tmc as p using (tmc_code)
)

select * from final
