"""User text is escaped everywhere: every template renders with autoescaping on, nothing in a
template marks text safe, and Python builds markup only from escaped pieces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from jinja2 import nodes

from pressroom.core.templating import TEMPLATES_DIR, environment

PACKAGE = Path(__file__).resolve().parent.parent / "pressroom"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "Bộ"'
TEMPLATES = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html"))

# The only Markup() built in Python, each with the reason it is safe.
MARKUP_ALLOWED = {
    "core/templating.py:_paragraphs": "every line of user text goes through escape() first",
    "core/templating.py:_vietnamese": "the text goes through escape() first",
    "core/templating.py:_vi_attr": "a constant attribute (lang), no user text",
}


def _problems(source: str) -> list[str]:
    """What in a template's syntax tree could let user text through unescaped."""
    tree = environment().parse(source)
    found: list[str] = []
    for modifier in tree.find_all((nodes.EvalContextModifier, nodes.ScopedEvalContextModifier)):
        for keyword in modifier.options:
            if keyword.key == "autoescape" and not (
                isinstance(keyword.value, nodes.Const) and keyword.value.value is True
            ):
                found.append(f"line {modifier.lineno}: autoescape switched off")
    for node in tree.find_all((nodes.Filter, nodes.Call)):
        name = getattr(node, "name", None) or getattr(getattr(node, "node", None), "name", None)
        if name in ("safe", "Markup", "markup"):
            found.append(f"line {node.lineno}: marks text safe ({name})")
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_autoescaped_and_marks_nothing_safe(name: str) -> None:
    auto = environment().autoescape
    assert (auto(name) if callable(auto) else auto) is True
    source = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    assert _problems(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "{% autoescape false %}{{ text }}{% endautoescape %}",
        "{% autoescape off %}{{ text }}{% endautoescape %}",
        "{% autoescape flag %}{{ text }}{% endautoescape %}",
        "{{ text|safe }}",
        "{{ text | safe }}",
        "{% filter safe %}{{ text }}{% endfilter %}",
        "{{ text|e|safe }}",
    ],
)
def test_the_check_catches_every_way_to_switch_escaping_off(source: str) -> None:
    assert _problems(source) != []


def test_the_environment_escapes_hostile_text_in_every_kind_of_template() -> None:
    env = environment()
    for source in ("{{ text }}", "<p title=\"{{ text }}\">{{ text|paragraphs }}</p>"):
        html = env.from_string(source).render(text=HOSTILE)
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert "Bộ" in html


def test_paragraphs_escapes_every_line_and_keeps_the_layout() -> None:
    html = str(environment().from_string("{{ text|paragraphs }}").render(
        text="Dòng <b>một</b>\nDòng hai\n\n<script>x</script>"))
    assert html == ("<p>Dòng &lt;b&gt;một&lt;/b&gt;<br>\nDòng hai</p>"
                    "<p>&lt;script&gt;x&lt;/script&gt;</p>")


def _markup_calls() -> list[str]:
    """Every call of Markup(...) in the package, as "file:function" ("file:" at module level)."""
    calls: list[str] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, f"{where.split(':')[0]}:{child.name}")
                continue
            if isinstance(child, ast.Call):
                callee = child.func
                name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
                if name == "Markup":
                    calls.append(where)
            visit(child, where)

    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations/versions" not in path.as_posix():
            rel = path.relative_to(PACKAGE).as_posix()
            visit(ast.parse(path.read_text(encoding="utf-8")), f"{rel}:")
    return calls


def test_python_builds_markup_only_where_it_escapes_first() -> None:
    assert sorted(set(_markup_calls()) - set(MARKUP_ALLOWED)) == []
