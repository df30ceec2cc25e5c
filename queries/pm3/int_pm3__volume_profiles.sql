-- The FHWA hourly traffic profile each TMC's weekday volumes follow, from its congestion level and peaking.
-- grain: tmc_code
-- inputs: int_npmrds__epochs, stg_npmrds__tmc
-- params: year, peak_pm_start
-- reference: FHWA-HIF-18-040 §1 Step 4 (Figures 1.1-1.6); 23 CFR 490.709(c)
with tmc as (
    select tmc_code, miles, f_system in (1, 2) as is_freeway from stg_npmrds__tmc
),

speeds as (
    select
        r.tmc_code,
        r.measurement_tstamp as ts,
        t.miles * 3600 / r.tt_all as speed,
        t.is_freeway
    from int_npmrds__epochs as r
    join tmc as t using (tmc_code)
    -- All-vehicle epochs only (tt_all is null where an epoch has a truck time alone)
    where r.tt_all is not null
      and r.measurement_tstamp >= make_timestamp($year, 1, 1, 0, 0, 0)
      and r.measurement_tstamp < make_timestamp($year + 1, 1, 1, 0, 0, 0)
),

by_tmc as (
    select
        tmc_code,
        any_value(is_freeway) as is_freeway,
        avg(speed) filter (where isodow(ts) <= 5 and hour(ts) between 6 and 9) as am_speed,
        avg(speed) filter (where isodow(ts) <= 5 and hour(ts) between $peak_pm_start and $peak_pm_start + 3) as pm_speed,
        -- "simple average speed for all hours between 10 p.m. and 5 a.m. on all days"
        avg(speed) filter (where hour(ts) >= 22 or hour(ts) < 5) as free_flow_speed
    from speeds
    group by tmc_code
),

classified as (
    select
        *,
        (am_speed + pm_speed) / 2 / free_flow_speed as speed_ratio,
        case
            when am_speed is null or pm_speed is null or free_flow_speed is null then null
            when (am_speed + pm_speed) / 2 / free_flow_speed >= (case when is_freeway then 0.90 else 0.80 end) then 'L'
            when (am_speed + pm_speed) / 2 / free_flow_speed >= (case when is_freeway then 0.75 else 0.65 end) then 'M'
            else 'H'
        end as congestion_level,
        case
            when am_speed <= pm_speed - 6 then 'A'
            when pm_speed <= am_speed - 6 then 'P'
            else 'balanced'
        end as peaking
    from by_tmc
),

final as (
    select
        tmc_code,
        am_speed,
        pm_speed,
        free_flow_speed,
        speed_ratio,
        congestion_level,
        peaking,
        -- Balanced peaks have their own profile only under severe congestion (Figure 1.4); for low
        -- and moderate congestion the figures offer AM or PM lines only: take the slower peak.
        'WD' || case when is_freeway then 'F' else 'A' end
            || case
                when congestion_level is null then 'L' || case when coalesce(am_speed, 0) <= coalesce(pm_speed, 0) then 'A' else 'P' end
                when peaking = 'balanced' and congestion_level = 'H' then '55'
                when peaking = 'balanced' then congestion_level || case when am_speed <= pm_speed then 'A' else 'P' end
                else congestion_level || peaking
            end as weekday_profile,
        case when is_freeway then 'WEF' else 'WEA' end as weekend_profile
    from classified
)

select * from final
