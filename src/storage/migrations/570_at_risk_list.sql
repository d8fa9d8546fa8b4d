-- Score-change signals (issue 15): the fourth segmentation list, "NPS At risk", is recorded beside the three
-- category lists.
ALTER TABLE segment_lists DROP CONSTRAINT segment_lists_category_check;
ALTER TABLE segment_lists ADD CONSTRAINT segment_lists_category_check CHECK (category IN ('promoter', 'passive', 'detractor', 'at_risk'));
