"""What cli_usage.py takes from typer beyond its public API is still there, with the shape
jixiao relies on. When typer changes one of these, this file fails first and names it (the
behaviour tests in test_usage_errors.py and test_cli_help.py then say what the user would see).
"""

from __future__ import annotations

import inspect
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer
import typer.completion
import typer.core
import typer.rich_utils
from jixiao import cli_usage
from typer._click import exceptions as ce


def _params(f: object) -> list[str]:
    return list(inspect.signature(f).parameters)  # type: ignore[arg-type]


def test_clicks_exception_classes_and_their_attributes() -> None:
    assert typer.BadParameter is ce.BadParameter
    for name in ("BadOptionUsage", "MissingParameter", "NoSuchOption", "BadParameter"):
        assert issubclass(getattr(ce, name), ce.UsageError), name
    assert issubclass(ce.NoArgsIsHelpError, ce.UsageError)
    no_option = ce.NoSuchOption("--x", possibilities=["--xy"])
    assert (no_option.option_name, list(no_option.possibilities)) == ("--x", ["--xy"])
    missing = ce.MissingParameter(param_type="argument")
    assert (missing.param, missing.param_type) == (None, "argument")
    assert ce.BadOptionUsage("--f", "m").option_name == "--f"
    assert ce.UsageError("m").ctx is None


def test_the_required_mark_is_a_module_constant_the_help_reads() -> None:
    assert isinstance(typer.rich_utils.REQUIRED_LONG_STRING, str)
    source = inspect.getsource(typer.rich_utils._get_parameter_help)
    assert "REQUIRED_LONG_STRING" in source


def test_an_arguments_type_comes_from_display_type_rich() -> None:
    assert _params(typer.core.TyperArgument.display_type_rich) == ["self", "ctx"]
    source = inspect.getsource(typer.rich_utils._print_options_panel)
    assert "param.display_type_rich(ctx=ctx)" in source


def test_the_completion_helpers() -> None:
    assert _params(typer.completion.get_completion_script) == [
        "prog_name",
        "complete_var",
        "shell",
    ]
    assert _params(typer.completion.install)[:3] == ["shell", "prog_name", "complete_var"]
    assert _params(typer.completion.completion_init) == []
    script = cli_usage.completion_script("bash")
    assert cli_usage.COMPLETE_VAR in script


def test_the_documented_hooks_cli_help_uses() -> None:
    """Not privates, but what cli_help.py subclasses: they must keep their shape."""
    formatter = typer.Context.formatter_class
    assert _params(formatter.write_usage) == ["self", "prog", "args", "prefix"]
    assert typer.core.TyperCommand.context_class is not None
    assert "allow_extra_args" in vars(typer.core.TyperCommand.__mro__[1])


def test_a_parameters_coercion_is_built_lazily_into_runtime_param() -> None:
    """plain_coercion fills `_runtime_param` before typer's `get_runtime_param` builds it."""
    from typer._coercion import RuntimeParam, build_runtime_param

    source = inspect.getsource(typer.core._TyperParameter.get_runtime_param)
    assert "self._runtime_param is None" in source
    assert "build_runtime_param(self.type_descriptor)" in source
    assert _params(build_runtime_param) == ["descriptor"]
    assert _params(RuntimeParam._coerce_value) == ["self", "value", "param", "ctx"]
    assert {"parameter_info", "annotation"} <= set(RuntimeParam.__dataclass_fields__)


def _all_params() -> list[Any]:
    import typer.main
    from jixiao import cli

    group = typer.main.get_command(cli.app)
    params = list(group.params)
    for command in group.commands.values():  # type: ignore[attr-defined]
        params += command.params
    return params


def _samples(annotation: Any) -> list[Any]:
    if get_origin(annotation) is list:
        (leaf,) = get_args(annotation)
        return [[v] for v in _samples(leaf)] + [[], _samples(leaf)[:2]]
    if annotation is bool:
        return [True, False, "true", "0", 1, 0]
    if annotation is str:
        return ["x", "大竹县司法局/项目", "", " a b ", _Mixed.p, b"bytes"]
    if annotation is Path:
        paths = ["a.yaml", "store/x/y.yaml", ".", "", "/", Path("p"), "-", "/nonexistent/q"]
        return [*paths, "a\x00b", _Mixed.p]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = list(annotation)
        return members + [str(m.value) for m in members] + ["NOPE", str(members[0].value).upper()]
    raise AssertionError(f"a parameter of a type plain_coercion does not know: {annotation}")


class _Mixed(str, Enum):  # noqa: UP042 - str() of it is "_Mixed.p", which typer passes on
    p = "p"


def _outcome(runtime: Any, value: Any, param: Any) -> Any:
    try:
        got = runtime.coerce(value, param=param, ctx=None)
        return ("value", type(got), [type(v) for v in got] if type(got) is list else None, got)
    except typer.BadParameter as e:
        return ("error", type(e), e.message)


@pytest.mark.parametrize("param", _all_params(), ids=lambda p: p.name)
def test_plain_coercion_gives_what_typers_own_gives(param: Any) -> None:
    """For every parameter of the app and values good and bad: the same result, or the same
    error, as typer's pydantic coercion."""
    from typer._coercion import build_runtime_param

    assert isinstance(param._runtime_param, cli_usage.PlainRuntimeParam), param.name
    typers = build_runtime_param(param.type_descriptor)
    for value in _samples(param.type_descriptor.annotation):
        ours = _outcome(param._runtime_param, value, param)
        assert ours == _outcome(typers, value, param), (param.name, value)
