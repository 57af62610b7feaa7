"""Render documents through Jinja templates: idmeet's own, or the repository's overrides.

Templates are looked up in the repository's ``templates/`` folder first, then in the
templates that ship with idmeet. A template from the repository runs in Jinja's sandbox, with
limits on what it may compute: ranges (the sandbox's own limit), repeated texts and lists,
powers, and the size of what it writes (``MAX_OUTPUT``). A template that is not UTF-8 text,
calls itself without end or passes a limit is one line naming it, never an internal error.
Every template renders with StrictUndefined, and an error names the template file and line.
HTML templates (``*.html.j2``) escape their values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.words import labels
from idmeet.store.paths import CACHE_DIR


def package_templates() -> Path:
    """The templates that ship with idmeet (in the wheel, or templates/ of a checkout)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "templates", package.parents[1] / "templates"):
        if candidate.is_dir():
            return candidate
    raise IdmeetError("idmeet's own templates are missing: reinstall idmeet")  # pragma: no cover


def _yaml_scalar(text: str) -> str:
    from idmeet.parser.yamlio import yaml_scalar

    return yaml_scalar(str(text))


@lru_cache(maxsize=4096)
def format_date(value: dt.date, language: str, pattern: str = "d MMMM y") -> str:
    """A date in words, through babel's CLDR data: "17 juni 2024", "maandag 17 juni 2024".
    Kept per date: a report of thousands of actions names the same days again and again.

    The fields idmeet's patterns use (day, month, year, weekday) are filled in here from
    babel's own names and its pattern's parse, the same text as babel's ``format_date``
    (which costs about 50 µs a date, most of a report of thousands of dates); any other
    pattern or value goes through babel."""
    fast = None if type(value) is not dt.date else _pattern_of(language, pattern)
    if fast is None:
        from babel.dates import format_date as babel_format_date

        return babel_format_date(value, pattern, locale=language)
    template, months, weekdays = fast
    day, month, year = value.day, value.month, value.year
    return template % {
        "d": str(day),
        "dd": f"{day:02d}",
        "M": str(month),
        "MM": f"{month:02d}",
        "MMMM": months[month],
        "y": str(year),
        "EEEE": weekdays[value.weekday()],
    }


FAST_FIELDS = frozenset({"d", "dd", "M", "MM", "MMMM", "y", "EEEE"})


@cache
def _pattern_of(language: str, pattern: str) -> tuple[str, dict[int, str], dict[int, str]] | None:
    """Babel's ``%``-template of ``pattern`` with the locale's wide month and weekday names
    (format context), or None when the pattern uses a field ``format_date`` does not fill in."""
    from babel.core import Locale
    from babel.dates import get_day_names, get_month_names, parse_pattern

    if pattern in ("full", "long", "medium", "short"):
        return None
    template = str(parse_pattern(pattern).format)
    fields = set(re.findall(r"%\((\w+)\)s", template))
    if not fields <= FAST_FIELDS or "%" in re.sub(r"%\(\w+\)s|%%", "", template):
        return None
    locale = Locale.parse(language)
    months = dict(get_month_names("wide", "format", locale))
    weekdays = dict(get_day_names("wide", "format", locale))
    return template, months, weekdays


MAX_OUTPUT = 20_000_000  # characters a repository's template may write (an agenda is kilobytes)
MAX_EXPONENT = 1000  # ``a ** b`` in a repository's template: no numbers of millions of digits


def _html_breaks(text: Any) -> Any:
    """The ``breaks`` filter of HTML templates: the text escaped, each Markdown hard break
    (two spaces or a backslash at a line's end) a ``<br>``."""
    from markupsafe import Markup

    from idmeet.core.breaks import html_lines

    return Markup(html_lines(str(text)))


def _limited_sandbox() -> Any:
    """Jinja's sandbox (which already limits ``range``), with the binary operators that can
    make huge values checked: a repository's template may not hang or exhaust a CI job."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"the power {right} is too big (at most {MAX_EXPONENT})")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_OUTPUT:
                        raise SecurityError(f"a text or list of more than {MAX_OUTPUT} items is too big")
            return super().call_binop(context, operator, left, right)

    return LimitedSandbox


@cache
def _environment(user_dir: str | None, sandboxed: bool, language: str, cache_dir: str | None = None) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    dirs = [*([user_dir] if user_dir else []), str(package_templates())]
    cls = _limited_sandbox() if sandboxed else Environment
    env = cls(
        loader=_repository_loader(FileSystemLoader, dirs, user_dir),
        bytecode_cache=_bytecode_cache(cache_dir, sandboxed),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_long"] = lambda d: format_date(dt.date.fromisoformat(d) if isinstance(d, str) else d, language)
    env.filters["date_full"] = lambda d: format_date(d, language, "EEEE d MMMM y")
    env.filters["breaks"] = _html_breaks
    env.filters["iso"] = lambda d: d.isoformat() if d else ""
    env.filters["yaml"] = _yaml_scalar
    env.filters["time"] = lambda t: t.replace(":", ".") if language == "nl" else t
    env.globals["t"] = labels(language)
    env.filters["open_item_md"] = lambda a: _open_item(a, language, False)
    env.filters["open_item_row"] = lambda a: _open_item(a, language, True)
    return env


def _open_item(entry: Any, language: str, html: bool) -> Any:
    """An entry of the open-item report, in Markdown or as an HTML row (``reports``)."""
    from markupsafe import Markup

    from idmeet.ops.reports import open_item_html, open_item_markdown

    def day(iso: str) -> str:
        return format_date(dt.date.fromisoformat(iso), language)

    if html:
        return Markup(open_item_html(entry, labels(language), day))
    return open_item_markdown(entry, labels(language), day)


def _bytecode_cache(cache_dir: str | None, sandboxed: bool) -> Any:
    """Compiled templates kept in the repository's cache folder between runs (Jinja's own
    bytecode cache: an entry is used only for the same template source and Python), so a
    command does not compile its templates again each time. None where there is no cache
    folder of the repository's own (a link may lead anywhere)."""
    if cache_dir is None or not os.path.isdir(cache_dir) or os.path.islink(cache_dir):
        return None
    from jinja2 import FileSystemBytecodeCache

    folder = os.path.join(cache_dir, "templates-sandboxed" if sandboxed else "templates")
    try:
        if os.path.islink(folder):
            return None
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None

    class SafeBytecodeCache(FileSystemBytecodeCache):
        """A damaged entry is compiled anew; a failed write (a read-only repository) is no error."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # damaged: any error of unpickling or unmarshalling
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return SafeBytecodeCache(folder)


def _repository_loader(base: type, dirs: list[str], user_dir: str | None) -> Any:
    """Jinja's file loader, refusing a repository template that a symbolic link (the file's
    or the ``templates/`` folder's) takes outside the repository: a merge request must not
    make ``render`` print ``/etc/passwd``."""

    class RepositoryLoader(base):  # type: ignore[misc]
        def get_source(self, environment: Any, template: str) -> Any:
            try:
                source, filename, uptodate = super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                where = next((f"{d}/{template}" for d in dirs if os.path.isfile(os.path.join(d, template))), template)
                raise IdmeetError(
                    f"{where}: not UTF-8 text (byte {exc.object[exc.start]:#04x}): save the template as UTF-8"
                ) from None
            if user_dir and filename.startswith(user_dir + os.sep):
                from idmeet.store.paths import within

                if within(os.path.dirname(user_dir), filename) is None:
                    raise IdmeetError(
                        f"templates/{template} leads outside the repository (to {os.path.realpath(filename)}, "
                        "through a symbolic link): idmeet reads templates only from inside the repository"
                    )
            return source, filename, uptodate

    return RepositoryLoader(dirs)


def find_template(names: list[str], repo_root: Path | None) -> str | None:
    """The first of ``names`` that exists in the repository's templates or idmeet's."""
    folders = [*([repo_root / "templates"] if repo_root else []), package_templates()]
    return next((n for n in names if any((folder / n).is_file() for folder in folders)), None)


def pick(names: list[str], repo_root: Path | None) -> str:
    """The first of ``names`` that exists, else the last (whose absence ``render`` reports)."""
    return find_template(names, repo_root) or names[-1]


def render(name: str, context: dict[str, Any], repo_root: Path | None = None, language: str = "nl") -> str:
    """Render template ``name``; the repository's own ``templates/<name>`` wins if present."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    user_dir = repo_root / "templates" if repo_root else None
    from_user = bool(user_dir and (user_dir / name).is_file())
    cache_dir = str(repo_root / CACHE_DIR) if repo_root else None
    env = _environment(str(user_dir) if user_dir and user_dir.is_dir() else None, from_user, language, cache_dir)
    try:
        template = env.get_template(name)
        if not from_user:
            return str(template.render(**context))
        return _bounded(template.generate(**context), template.filename or name)
    except TemplateNotFound as exc:
        raise IdmeetError(f"template '{exc.name}' not found (looked in {user_dir} and {package_templates()})") from None
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise IdmeetError(f"{where}: template error: {exc.message}") from None
    except TemplateError as exc:
        raise IdmeetError(f"{_template_line(exc, name)}: template error: {exc}") from None
    except (OverflowError, RecursionError, MemoryError) as exc:  # the sandbox's range limit; a macro calling itself
        what = "it calls itself without end" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        raise IdmeetError(f"{_template_line(exc, name)}: template error: {what}") from None


def _bounded(chunks: Any, name: str) -> str:
    """What a repository's template writes, refused once it passes ``MAX_OUTPUT`` characters."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise IdmeetError(f"{name}: template error: it writes more than {MAX_OUTPUT} characters")
        parts.append(chunk)
    return "".join(parts)


def _template_line(exc: BaseException, name: str) -> str:
    """``file:line`` of the innermost template frame of a rendering error."""
    where = name
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


# Inline HTML that a document may carry from its source (Word exports, hand edits): simple
# formatting tags without attributes. Anything else is shown as text; comments are dropped.
SAFE_TAG_RE = re.compile(r"</?(?:sup|sub|br|u|s|em|strong|i|b|mark|small)\s*/?>", re.IGNORECASE)
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def markdown_to_html(markdown: str) -> str:
    """Markdown as HTML: markdown-it (CommonMark). Inline tags such as ``<sup>`` of the
    source are kept; any other HTML is escaped, so it shows as text; comments are dropped."""
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml

    md = MarkdownIt("commonmark", {"html": True})

    def inline(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        content = str(tokens[idx].content)
        if content.startswith("<!--"):
            return ""
        return content if SAFE_TAG_RE.fullmatch(content) else escapeHtml(content)

    def block(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        content = str(tokens[idx].content)
        rest = COMMENT_RE.sub("", content)
        if not rest.strip():
            return ""
        return "<p>" + escapeHtml(rest.strip()) + "</p>\n"

    md.add_render_rule("html_inline", inline)
    md.add_render_rule("html_block", block)
    return str(md.render(markdown))


def render_html(markdown: str, context: dict[str, Any], repo_root: Path | None = None, language: str = "nl") -> str:
    """A Markdown document as a web page: ``markdown_to_html`` makes the body (unsafe HTML
    escaped), ``document.html.j2`` the page around it."""
    body = markdown_to_html(markdown)
    return render("document.html.j2", {**context, "body": body}, repo_root, language)
