-- ACS B08301 renamed to house columns; one row per geography and ACS year.
-- grain: geo_id, year
-- inputs: acs_b08301_file
-- reference: ACS table B08301 (data.census.gov); research/datasets.md §6
with source as (
    select * from acs_b08301_file
),

final as (
    select
        "GEO_ID" as geo_id,
        "NAME" as name,
        year,
        survey,
        "B08301_001E" as workers,
        "B08301_001M" as workers_moe,
        "B08301_003E" as drove_alone,
        "B08301_003M" as drove_alone_moe,
        "B08301_004E" as carpooled,
        "B08301_010E" as public_transportation,
        "B08301_018E" as bicycle,
        "B08301_019E" as walked,
        "B08301_021E" as worked_from_home,
        coalesce("B08301_016E", 0) + coalesce("B08301_017E", 0) + coalesce("B08301_020E", 0) as other_modes,
        source_file
    from source
)

select * from final
