-- Share of workers who did not drive alone to work (non-SOV), per geography and year, with its
-- 90% margin of error. Working from home counts as non-SOV, as FHWA's PM3 measure does.
-- grain: geo_id, year
-- inputs: acs_commute_mode
-- reference: 23 CFR 490.707(b) (non-SOV travel from ACS commute mode); ACS derived-proportion MOE
with source as (
    select * from acs_commute_mode
),

shares as (
    select
        geo_id,
        name,
        year,
        survey,
        workers,
        workers - drove_alone as non_sov_workers,
        (workers - drove_alone) / nullif(workers, 0) as non_sov_share,
        -- MOE of a difference: root of the sum of squared MOEs (ACS handbook approximation).
        sqrt(coalesce(workers_moe, 0) ^ 2 + coalesce(drove_alone_moe, 0) ^ 2) as non_sov_moe_count,
        workers_moe
    from source
    where workers is not null and drove_alone is not null
),

final as (
    select
        geo_id,
        name,
        year,
        survey,
        workers,
        non_sov_workers,
        round(non_sov_share, 6) as non_sov_share,
        -- MOE of a proportion: sqrt(MOE_x^2 - p^2 MOE_y^2) / Y. The radicand cannot be negative
        -- here (the numerator's MOE includes the denominator's and p <= 1), so the handbook's
        -- fallback ratio form is never needed.
        round(sqrt(non_sov_moe_count ^ 2 - non_sov_share ^ 2 * coalesce(workers_moe, 0) ^ 2) / workers, 6)
            as non_sov_share_moe
    from shares
    where workers > 0
)

select * from final
