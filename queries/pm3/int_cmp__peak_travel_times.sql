-- Weekday peak-period travel time statistics per TMC: means and 95th percentiles, AM, PM and both.
-- grain: tmc_code
-- inputs: npmrds__readings
-- params: year, peak_pm_start
-- reference: FHWA-HOP-06-070; nearest-rank percentiles as in FHWA-HIF-18-040 Table 2.4
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
)

select * from stats
