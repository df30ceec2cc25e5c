-- Congestion per TMC for the year: travel time index, planning time index, buffer index, delay and its rank.
-- grain: tmc_code
-- inputs: npmrds__readings, stg_npmrds__tmc, int_cmp__free_flow, cmp_tmc_monthly
-- params: year, peak_pm_start
-- reference: FHWA-HOP-06-070 (TTI = mean / free-flow, PTI = 95th percentile / free-flow, buffer index = (95th - mean) / mean)
with peak as (
    select
        r.tmc_code,
        r.travel_time_seconds as tt,
        case when hour(r.measurement_tstamp) between 6 and 9 then 'am' else 'pm' end as peak
    from npmrds__readings as r
    where r.vehicle_class = 'all'
      and r.travel_time_seconds > 0
      and r.measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and r.measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
      and isodow(r.measurement_tstamp) <= 5
      and (hour(r.measurement_tstamp) between 6 and 9 or hour(r.measurement_tstamp) between $peak_pm_start and $peak_pm_start + 3)
),

stats as (
    select
        tmc_code,
        avg(tt) as peak_mean_tt,
        quantile_disc(tt, 0.95) as peak_p95_tt,
        avg(tt) filter (where peak = 'am') as am_mean_tt,
        quantile_disc(tt, 0.95) filter (where peak = 'am') as am_p95_tt,
        avg(tt) filter (where peak = 'pm') as pm_mean_tt,
        quantile_disc(tt, 0.95) filter (where peak = 'pm') as pm_p95_tt
    from peak
    group by tmc_code
),

monthly as (
    select tmc_code, sum(congested_hours) as congested_hours, sum(delay_vehicle_hours) as delay_vehicle_hours
    from cmp_tmc_monthly
    group by tmc_code
),

final as (
    select
        t.tmc_code,
        t.road,
        t.direction,
        t.county,
        t.miles,
        t.f_system,
        f.free_flow_tt,
        t.miles * 3600 / f.free_flow_tt as free_flow_speed,
        round(s.peak_mean_tt / f.free_flow_tt, 2) as tti,
        round(s.peak_p95_tt / f.free_flow_tt, 2) as pti,
        round((s.peak_p95_tt - s.peak_mean_tt) / s.peak_mean_tt, 2) as buffer_index,
        round(s.am_mean_tt / f.free_flow_tt, 2) as tti_am,
        round(s.am_p95_tt / f.free_flow_tt, 2) as pti_am,
        round(s.pm_mean_tt / f.free_flow_tt, 2) as tti_pm,
        round(s.pm_p95_tt / f.free_flow_tt, 2) as pti_pm,
        round(m.congested_hours, 2) as congested_hours,
        round(m.delay_vehicle_hours, 1) as delay_vehicle_hours,
        rank() over (order by m.delay_vehicle_hours desc nulls last) as delay_rank
    from stg_npmrds__tmc as t
    join int_cmp__free_flow as f using (tmc_code)
    left join stats as s using (tmc_code)
    left join monthly as m using (tmc_code)
)

select * from final
