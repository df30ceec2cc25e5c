-- Travel-time percentiles, LOTTR and TTTR per TMC and time period for one calendar year.
-- grain: tmc_code, period
-- inputs: npmrds__readings
-- params: year
-- reference: 23 CFR 490.511(b), 490.611(a); FHWA-HIF-18-040 pp. 2-8 to 2-17
with readings as (
    select tmc_code, vehicle_class, measurement_tstamp, travel_time_seconds
    from npmrds__readings
    where measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
      and vehicle_class in ('all', 'truck')
      and travel_time_seconds > 0     -- missing is not replaced (23 CFR 490.509(b))
),

epochs as (
    select
        tmc_code,
        measurement_tstamp,
        any_value(travel_time_seconds) filter (where vehicle_class = 'all') as tt_all,
        any_value(travel_time_seconds) filter (where vehicle_class = 'truck') as tt_truck
    from readings
    group by all
),

periods as (
    -- Half-open local clock hours, holidays included (490.511(b)(1), 490.611(a)(1)).
    -- Every epoch falls in exactly one period: OVN is every day 20:00-06:00 (freight only).
    select
        tmc_code,
        tt_all,
        -- A missing truck time takes the all-vehicle time of the same epoch (HIF-18-040 p. 2-16 step 3)
        coalesce(tt_truck, tt_all) as tt_freight,
        tt_truck is null and tt_all is not null as truck_substituted,
        case
            when hour(measurement_tstamp) >= 20 or hour(measurement_tstamp) < 6 then 'OVN'
            when isodow(measurement_tstamp) >= 6 then 'WE'
            when hour(measurement_tstamp) < 10 then 'AMP'
            when hour(measurement_tstamp) < 16 then 'MIDD'
            else 'PMP'
        end as period
    from epochs
),

percentiles as (
    -- Nearest rank (quantile_disc), as in HIF-18-040 Table 2.4: observation ceil(n*p). Not rounded.
    select
        tmc_code,
        period,
        count(tt_all) filter (where period <> 'OVN') as n_epochs,
        quantile_disc(tt_all, 0.5) filter (where period <> 'OVN') as tt_p50,
        quantile_disc(tt_all, 0.8) filter (where period <> 'OVN') as tt_p80,
        count(tt_freight) as n_freight_epochs,
        count(*) filter (where truck_substituted) as n_truck_substituted,
        quantile_disc(tt_freight, 0.5) as ttt_p50,
        quantile_disc(tt_freight, 0.95) as ttt_p95
    from periods
    group by all
),

final as (
    -- Ratios to the hundredth, half up, computed on exact decimals so a true x.xx5 never
    -- rounds down through binary floating point (490.511(b)(3), 490.611(a)(3)).
    select
        tmc_code,
        period,
        n_epochs,
        tt_p50,
        tt_p80,
        (
            (200 * round(tt_p80 * 1000000)::hugeint + round(tt_p50 * 1000000)::hugeint)
            // (2 * nullif(round(tt_p50 * 1000000)::hugeint, 0))
        )::double / 100 as lottr,
        n_freight_epochs,
        n_truck_substituted,
        ttt_p50,
        ttt_p95,
        (
            (200 * round(ttt_p95 * 1000000)::hugeint + round(ttt_p50 * 1000000)::hugeint)
            // (2 * nullif(round(ttt_p50 * 1000000)::hugeint, 0))
        )::double / 100 as tttr
    from percentiles
)

select * from final
