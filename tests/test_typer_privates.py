"""What cli_usage.py takes from typer beyond its public API is still there, with the shape
jixiao relies on. When typer changes one of these, this file fails first and names it (the
behaviour tests in test_usage_errors.py and test_cli_help.py then say what the user would see).
"""

from __future__ import annotations

import inspect

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
