-- Free-flow travel time per TMC: the 15th-percentile all-vehicle travel time of the year (85th-percentile speed).
-- grain: tmc_code
-- inputs: npmrds__readings
-- params: year
-- reference: FHWA Travel Time Reliability guide (FHWA-HOP-06-070) free-flow convention; nearest rank as in HIF-18-040 Table 2.4
with readings as (
    select tmc_code, travel_time_seconds as tt
    from npmrds__readings
    where vehicle_class = 'all'
      and travel_time_seconds > 0
      and measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
),

final as (
    select tmc_code, quantile_disc(tt, 0.15) as free_flow_tt, count(*) as epochs
    from readings
    group by tmc_code
)

select * from final
