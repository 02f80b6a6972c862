"""The SVG reader of the drawing tests (tests/support/svg_geometry.py) reads paths and boxes right."""

from support.svg_geometry import inside, parse_path, parse_path_ends, segment_hits_box


def test_parse_path_reads_lines_and_curves():
    assert parse_path("M1 2 L3 4 L5 6") == [[(1, 2), (3, 4), (5, 6)]]
    assert parse_path("M0 0 Q10 0 10 10 Z M5 5 L6 6") == [[(0, 0), (10, 0), (10, 10)], [(5, 5), (6, 6)]]
    assert parse_path_ends("M0 0 Q10 0 10 10 Z") == [[(0, 0), (10, 10)]]


def test_segment_box_intersection():
    box = (0, 0, 10, 10)
    assert segment_hits_box((-5, 5), (15, 5), box)
    assert not segment_hits_box((-5, 15), (15, 15), box)
    assert not segment_hits_box((10, -5), (10, 15), box)  # along the edge only
    assert segment_hits_box((5, 5), (6, 6), box)


def test_inside_even_odd():
    square = [[(0, 0), (10, 0), (10, 10), (0, 10)]]
    hole = [[(3, 3), (7, 3), (7, 7), (3, 7)]]
    assert inside((5, 1), square)
    assert not inside((5, 5), square + hole)
    assert not inside((11, 5), square)
