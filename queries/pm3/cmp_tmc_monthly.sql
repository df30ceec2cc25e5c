-- Congestion per TMC and month: peak travel time index, congested hours and vehicle-hours of delay against free flow.
-- grain: tmc_code, month
-- inputs: npmrds__readings, stg_npmrds__tmc, int_cmp__free_flow, int_pm3__volume_profiles, pm3_hourly_profiles, pm3_month_factors, pm3_dow_factors
-- params: year, peak_pm_start
-- reference: CMP practice (23 CFR 450.322); volumes as FHWA-HIF-18-040 §1 (AADT x month x day-of-week x hourly profile)
with tmc as (
    select t.tmc_code, t.dir_aadt, t.miles, f.free_flow_tt, p.weekday_profile, p.weekend_profile
    from stg_npmrds__tmc as t
    join int_cmp__free_flow as f using (tmc_code)
    left join int_pm3__volume_profiles as p using (tmc_code)
),

bins as (
    select
        r.tmc_code,
        r.measurement_tstamp as ts,
        r.travel_time_seconds as tt,
        t.free_flow_tt,
        t.dir_aadt,
        case when isodow(r.measurement_tstamp) <= 5 then t.weekday_profile else t.weekend_profile end as profile,
        isodow(r.measurement_tstamp) <= 5
            and (hour(r.measurement_tstamp) between 6 and 9 or hour(r.measurement_tstamp) between $peak_pm_start and $peak_pm_start + 3) as is_peak
    from npmrds__readings as r
    join tmc as t using (tmc_code)
    where r.vehicle_class = 'all'
      and r.travel_time_seconds > 0
      and r.measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and r.measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
),

with_volume as (
    select
        b.*,
        b.dir_aadt * m.factor * d.factor * h.pct_of_daily / 4 as volume15
    from bins as b
    left join pm3_month_factors as m on m.month = month(b.ts)
    left join pm3_dow_factors as d on d.isodow = isodow(b.ts)
    left join pm3_hourly_profiles as h on h.profile_code = b.profile and h.hour = hour(b.ts)
),

final as (
    select
        tmc_code,
        month(ts) as month,
        count(*) as epochs,
        -- Rounded so published figures do not depend on the order parallel sums run in
        round(avg(tt) filter (where is_peak), 2) as peak_mean_tt,
        round(avg(tt) filter (where is_peak) / any_value(free_flow_tt), 3) as peak_tti,
        -- Congested: slower than 60% of the free-flow speed
        count(*) filter (where tt > free_flow_tt / 0.6) / 4.0 as congested_hours,
        round(sum(greatest(tt - free_flow_tt, 0) / 3600 * volume15), 3) as delay_vehicle_hours
    from with_volume
    group by tmc_code, month(ts)
)

select * from final
