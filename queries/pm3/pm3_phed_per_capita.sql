-- Annual hours of peak hour excessive delay per capita, per urbanized area with a population given.
-- grain: urban_code
-- inputs: pm3_segments, urbanized_area_population
-- params: none
-- reference: 23 CFR 490.713(b); 490.709(b) (NHS mainline in the urbanized area)
with delay as (
    select urban_code, sum(phed_person_hours) as phed_person_hours, count(phed_person_hours) as segments
    from pm3_segments
    where nhs_system is not null
    group by urban_code
),

final as (
    select
        u.urban_code,
        u.name,
        u.population,
        coalesce(d.segments, 0) as segments,
        round(coalesce(d.phed_person_hours, 0), 3) as phed_person_hours,
        -- To the tenth of an hour (490.713(b))
        round(coalesce(d.phed_person_hours, 0) / u.population, 1) as phed_hours_per_capita
    from urbanized_area_population as u
    left join delay as d on d.urban_code = u.urban_code
    where u.population > 0
)

select * from final
