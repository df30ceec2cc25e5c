-- Travel-time percentiles, LOTTR and TTTR per TMC and time period for one calendar year.
-- grain: tmc_code, period
-- inputs: int_npmrds__epochs
-- params: year
-- reference: 23 CFR 490.511(b), 490.611(a); FHWA-HIF-18-040 pp. 2-8 to 2-17
with epochs as (
    -- One row per epoch with both series: the truck-else-all-vehicle freight time was resolved
    -- once, at ingest (int_npmrds__epochs), so no epoch matching happens here.
    select
        tmc_code,
        tt_all,
        tt_freight,
        truck_substituted,
        -- Half-open local clock hours, holidays included (490.511(b)(1), 490.611(a)(1)). Every
        -- epoch falls in exactly one period: OVN is every day 20:00-06:00 (freight only).
        case
            when hour(measurement_tstamp) >= 20 or hour(measurement_tstamp) < 6 then 'OVN'
            when isodow(measurement_tstamp) >= 6 then 'WE'
            when hour(measurement_tstamp) < 10 then 'AMP'
            when hour(measurement_tstamp) < 16 then 'MIDD'
            else 'PMP'
        end as period
    from int_npmrds__epochs
    where measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
),

percentiles as (
    -- Nearest rank (quantile_disc), as in HIF-18-040 Table 2.4: observation ceil(n*p). Not rounded.
    -- One pass over the epochs: each list form takes both percentiles from one buffer of the
    -- period's travel times. LOTTR has no overnight period (490.511(b)(1)); quantile_disc
    -- skips the nulls of epochs with a truck time only.
    select
        tmc_code,
        period,
        count(tt_all) filter (where period <> 'OVN') as n_epochs,
        quantile_disc(tt_all, [0.5, 0.8]) filter (where period <> 'OVN') as q_all,
        count(*) as n_freight_epochs,
        count(*) filter (where truck_substituted) as n_truck_substituted,
        quantile_disc(tt_freight, [0.5, 0.95]) as q_freight
    from epochs
    group by tmc_code, period
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
    from (
        select
            * exclude (q_all, q_freight),
            q_all[1] as tt_p50,
            q_all[2] as tt_p80,
            q_freight[1] as ttt_p50,
            q_freight[2] as ttt_p95
        from percentiles
    )
)

select * from final
