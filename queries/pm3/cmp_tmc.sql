-- Congestion per TMC for the year: travel time index, planning time index, buffer index, delay and its rank.
-- grain: tmc_code
-- inputs: stg_npmrds__tmc, int_cmp__free_flow, int_cmp__peak_travel_times, cmp_tmc_monthly
-- params: none
-- reference: FHWA-HOP-06-070 (TTI = mean / free-flow, PTI = 95th percentile / free-flow, buffer index = (95th - mean) / mean)
with stats as (
    select * from int_cmp__peak_travel_times
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
