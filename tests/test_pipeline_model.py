"""Pipeline model: stages, steps in execution order, templates, fragments,
spans inside scalars, and the engine signal."""

from __future__ import annotations

from iacm_lint.model.pipeline import build_pipeline, pipeline_engine_signal, precedes, text_span
from iacm_lint.model.syntax import Repo
from iacm_lint.parse.yaml import load_yaml

PIPELINE = """\
pipeline:
  name: p
  identifier: p
  stages:
    - stage:
        name: a
        identifier: a
        type: IACM
        spec:
          workspace: w
          execution:
            steps:
              - step: {type: IACMOpenTofuPlugin, name: init, identifier: init, spec: {command: init}}
              - parallel:
                  - step: {type: IACMOpenTofuPlugin, name: plan, identifier: plan, spec: {command: plan}}
                  - stepGroup:
                      name: g
                      identifier: g
                      steps:
                        - step: {type: Run, name: r1, identifier: r1, spec: {command: echo}}
                        - step: {type: Run, name: r2, identifier: r2, spec: {command: echo}}
              - step: {type: IACMOpenTofuPlugin, name: apply, identifier: apply, spec: {command: apply}}
            rollbackSteps:
              - step: {type: Run, name: rb, identifier: rb, spec: {command: echo}}
    - parallel:
        - stage: {name: b, identifier: b, type: Approval, spec: {}}
        - stage: {name: c, identifier: c, type: Custom, spec: {}}
"""


def _pipeline(text=PIPELINE, path=".harness/p.yaml"):
    return build_pipeline(load_yaml(text, path))


def test_steps_in_execution_order_with_positions():
    pipeline = _pipeline()
    stage = pipeline.stages[0]
    assert [s.identifier for s in stage.steps] == ["init", "plan", "r1", "r2", "apply"]
    assert [s.identifier for s in stage.rollback_steps] == ["rb"]
    init, plan, r1, r2, apply = stage.steps
    assert precedes(init.position, plan.position) and precedes(plan.position, apply.position)
    assert not precedes(plan.position, r1.position) and not precedes(r1.position, plan.position)  # concurrent
    assert precedes(r1.position, r2.position)  # a step group runs in order
    assert r1.groups[0].get("identifier").value == "g"
    assert (init.key.span.line, init.key.span.col) == (13, 17)
    assert apply.command == "apply" and plan.type == "IACMOpenTofuPlugin"


def test_parallel_stages():
    stages = _pipeline().stages
    assert [s.identifier for s in stages] == ["a", "b", "c"]
    assert precedes(stages[0].position, stages[1].position)
    assert not precedes(stages[1].position, stages[2].position)


def test_templates_and_fragments():
    stage_tpl = _pipeline("template:\n  type: Stage\n  name: t\n  identifier: t\n  spec:\n    type: IACM\n"
                          "    spec:\n      workspace: <+input>\n      execution:\n        steps:\n"
                          "          - step: {type: IACMOpenTofuPlugin, name: i, identifier: i, "
                          "spec: {command: init}}\n")
    assert stage_tpl.template_type == "Stage" and stage_tpl.stages[0].is_iacm
    assert [s.identifier for s in stage_tpl.stages[0].steps] == ["i"]
    step_tpl = _pipeline("template:\n  type: Step\n  spec:\n    type: Run\n    spec: {command: terraform apply}\n")
    assert step_tpl.stages[0].steps[0].type == "Run" and not step_tpl.stages[0].ordered
    fragment = _pipeline("steps:\n"
                         "  - step: {type: IACMOpenTofuPlugin, name: i, identifier: i, spec: {command: init}}\n")
    assert fragment.kind == "fragment" and fragment.stages[0].is_iacm
    assert _pipeline("inputSet:\n  name: x\n") is None


def test_text_span_inside_scalars():
    f = load_yaml("a: terraform apply\nb: 'tofu plan'\nc: |\n  set -e\n  cd x && tofu apply\n", "p.yaml")
    plain, quoted, block = (f.root.get(k) for k in "abc")
    s = text_span(plain, 10, 15)
    assert (s.line, s.col, s.end_line, s.end_col) == (1, 14, 1, 19)
    s = text_span(quoted, 0, 4)
    assert (s.line, s.col, s.end_col) == (2, 5, 9)
    start = block.value.index("tofu")
    s = text_span(block, start, start + 10)
    assert (s.line, s.col, s.end_line, s.end_col) == (5, 11, 5, 21)


def _repo(*texts):
    repo = Repo(root="/x")
    repo.yaml_files = [load_yaml(t, f".harness/p{i}.yaml") for i, t in enumerate(texts)]
    return repo


def test_engine_signal():
    tofu = PIPELINE
    terraform = PIPELINE.replace("IACMOpenTofuPlugin", "IACMTerraformPlugin")
    assert pipeline_engine_signal(_repo(tofu)) == ("opentofu", "pipeline .harness/p0.yaml")
    assert pipeline_engine_signal(_repo("pipeline: {name: x}\n", terraform)) == \
        ("terraform", "pipeline .harness/p1.yaml")
    engine, reason = pipeline_engine_signal(_repo(tofu, terraform))
    assert engine is None and "both" in reason
    assert pipeline_engine_signal(_repo())[0] is None
