"""Plans without positions are laid out in layers, and a coordinator's sub-agents sit side by
side beneath it: no two nodes overlap and every delegation edge runs straight down to its own
sub-agent without crossing another node."""

from canvas.graph import plan_to_graph
from canvas.layout import NODE_HEIGHT, NODE_WIDTH
from canvas.plan import Plan

PLAN = Plan.model_validate(
    {
        "name": "two teams",
        "steps": [
            {"id": "plan", "type": "transform", "output": "x"},
            {
                "id": "red",
                "type": "coordinator",
                "depends_on": ["plan"],
                "agents": ["a", "b", "c", "d"],
            },
            {"id": "blue", "type": "coordinator", "depends_on": ["plan"], "agents": ["e", "f"]},
            {"id": "merge", "type": "transform", "depends_on": ["red", "blue"], "output": "y"},
        ],
        "result": "merge",
    }
)


def boxes(graph):
    width = {"coordinator": 240}
    return {
        n["id"]: (
            n["position"]["x"],
            n["position"]["y"],
            n["position"]["x"] + width.get(n["type"], NODE_WIDTH),
            n["position"]["y"] + NODE_HEIGHT,
        )
        for n in graph["nodes"]
    }


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_no_two_nodes_overlap():
    box = boxes(plan_to_graph(PLAN))
    ids = list(box)
    clashes = [(m, n) for i, m in enumerate(ids) for n in ids[i + 1 :] if overlap(box[m], box[n])]
    assert clashes == []


def test_each_delegation_edge_reaches_its_sub_agent_without_crossing_another_node():
    graph = plan_to_graph(PLAN)
    box = boxes(graph)
    for e in graph["edges"]:
        if e["sourceHandle"] != "agents":
            continue
        source, target = box[e["source"]], box[e["target"]]
        # the straight segment from the coordinator's bottom to the sub-agent's top
        x0, y0 = (source[0] + source[2]) / 2, source[3]
        x1, y1 = (target[0] + target[2]) / 2, target[1]
        assert y1 > y0  # beneath its coordinator
        for other, b in box.items():
            if other in (e["source"], e["target"]):
                continue
            for t in (i / 20 for i in range(21)):
                x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                assert not (b[0] < x < b[2] and b[1] < y < b[3]), (e["target"], other)


def test_sub_agents_sit_in_one_row_in_plan_order():
    graph = plan_to_graph(PLAN)
    position = {n["id"]: n["position"] for n in graph["nodes"]}
    row = [position[f"red_{slug}"] for slug in "abcd"]
    assert len({p["y"] for p in row}) == 1
    assert [p["x"] for p in row] == sorted(p["x"] for p in row)
