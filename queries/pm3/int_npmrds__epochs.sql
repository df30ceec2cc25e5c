-- One row per TMC and 15-minute epoch: the all-vehicle travel time and the freight travel time (truck, else all-vehicle).
-- grain: tmc_code, measurement_tstamp
-- inputs: npmrds__readings
-- params: none
-- reference: 23 CFR 490.509(b), 490.611(a); FHWA-HIF-18-040 p. 2-16 step 3
-- Built once at ingest and published beside the readings (the npmrds "epochs" table), so PM3
-- reads one row per epoch with the freight substitution already made instead of matching truck
-- and all-vehicle epochs in every run. Compute falls back to this query over the readings for
-- versions ingested before the table existed; both give the same rows.
with readings as (
    select tmc_code, vehicle_class, measurement_tstamp, travel_time_seconds as tt
    from npmrds__readings
    -- Passenger times are not a PM3 input; 0 or empty is missing and never replaced (490.509(b))
    where vehicle_class in ('all', 'truck')
      and travel_time_seconds > 0
),

by_epoch as (
    -- The readings' grain (tmc_code, vehicle_class, measurement_tstamp) leaves at most one
    -- time per class and epoch, so any_value picks that one.
    select
        tmc_code,
        measurement_tstamp,
        any_value(tt) filter (where vehicle_class = 'all') as tt_all,
        any_value(tt) filter (where vehicle_class = 'truck') as tt_truck
    from readings
    group by tmc_code, measurement_tstamp
),

final as (
    select
        tmc_code,
        measurement_tstamp,
        tt_all,
        -- Truck travel time, and where the epoch has none the all-vehicle time of the same epoch
        -- (HIF-18-040 p. 2-16 step 3). Never null: an epoch is here because one of the two exists.
        coalesce(tt_truck, tt_all) as tt_freight,
        tt_truck is null as truck_substituted,
        year(measurement_tstamp)::integer as year,
        (hash(tmc_code) % 16)::integer as shard
    from by_epoch
)

select * from final
