-- NPMRDS travel times as 15-minute epochs in each TMC's local time, one row per TMC, vehicle class and epoch.
-- grain: tmc_code, vehicle_class, measurement_tstamp
-- inputs: npmrds_raw_readings, npmrds_raw_tmc
-- params: none
-- reference: 23 CFR 490.511(b)(1) (15-minute epochs, local time periods); NPMRDS Descriptive Metadata v2 §2.4
with readings as (
    select * from npmrds_raw_readings
),

tmc as (
    select tmc, timezone_name from npmrds_raw_tmc
),

localised as (
    -- Stamps written with an offset are instants: the periods of 490.511(b) are local clock
    -- hours, so they move to the TMC's own zone. Stamps without one are already local.
    select
        r.tmc_code,
        r.vehicle_class,
        coalesce(timezone(coalesce(t.timezone_name, 'UTC'), r.ts_offset), r.ts_local) as ts,
        r.travel_time_seconds
    from readings as r
    left join tmc as t on t.tmc = r.tmc_code
    -- 0 or empty is "missing" and is never replaced (23 CFR 490.509(b))
    where r.travel_time_seconds > 0
),

epochs as (
    -- 5-minute data: the 15-minute travel time is the mean of its travel times (the harmonic
    -- mean of speeds, as RITIS builds its 15-minute product). Repeated stamps (the autumn
    -- DST hour, duplicated rows; counted at ingest) are averaged the same way.
    select
        tmc_code,
        vehicle_class,
        time_bucket(interval 15 minutes, ts) as measurement_tstamp,
        avg(travel_time_seconds) as travel_time_seconds,
        count(*)::integer as readings
    from localised
    where ts is not null
    group by all
),

final as (
    select
        *,
        year(measurement_tstamp)::integer as year,
        (hash(tmc_code) % 16)::integer as shard
    from epochs
)

select * from final
