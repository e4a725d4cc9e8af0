"""Comprehension questions from an article's front matter (``questions:``).

Each question is ``{question, choices, answer}`` with optional ``question_en`` and ``explain``;
``answer`` is the 1-based index of the right choice. Every problem is reported as
``path:line: message`` with the line of the offending question or key.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import ContentError

#: The keys a question may have.
QUESTION_KEYS = ("question", "question_en", "choices", "answer", "explain")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question about an article."""

    question: str
    choices: tuple[str, ...]
    #: 1-based index into ``choices``.
    answer: int
    question_en: str = ""
    explain: str = ""
    line: int = 0


def _lines(front_matter: str, first_line: int) -> tuple[list[int], list[dict[str, int]]]:
    """The line of each question and of each of its keys (1-based, in the article file)."""
    try:
        node = yaml.compose(front_matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return [], []
    items: list[int] = []
    keys: list[dict[str, int]] = []
    if not isinstance(node, yaml.MappingNode):
        return items, keys
    for key, value in node.value:
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                items.append(item.start_mark.line + first_line)
                keys.append({k.value: k.start_mark.line + first_line
                             for k, _ in (item.value if isinstance(item, yaml.MappingNode) else [])
                             if isinstance(k, yaml.ScalarNode)})
    return items, keys


def parse_questions(raw, name: str, front_matter: str, first_line: int,
                    key_line: int) -> tuple[tuple[Question, ...], list[ContentError]]:
    """Validate ``questions:`` front matter; return the questions and the problems found.

    ``front_matter`` is the YAML text, whose first line is line ``first_line`` of the file;
    ``key_line`` is the line of the ``questions:`` key itself.
    """
    if raw is None:
        return (), []
    errors: list[ContentError] = []
    if not isinstance(raw, list) or not raw:
        return (), [ContentError(name, key_line, "questions: expected a list of {question, choices, answer}")]
    item_lines, key_lines = _lines(front_matter, first_line)
    out: list[Question] = []
    for i, item in enumerate(raw):
        line = item_lines[i] if i < len(item_lines) else key_line
        keys = key_lines[i] if i < len(key_lines) else {}
        where = f"questions: question {i + 1}"
        if not isinstance(item, dict):
            errors.append(ContentError(name, line, f"{where}: expected keys question, choices and answer"))
            continue
        bad = False

        def problem(key: str | None, message: str) -> None:
            nonlocal bad
            bad = True
            errors.append(ContentError(name, keys.get(key, line) if key else line, f"{where}: {message}"))

        for key in item:
            if key not in QUESTION_KEYS:
                problem(str(key), f"unknown key {key!r} (use {', '.join(QUESTION_KEYS)})")
        text = {}
        for key in ("question", "question_en", "explain"):
            value = item.get(key, "")
            if value is None:
                value = ""
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problem(key, f"'{key}' must be text")
                value = ""
            text[key] = str(value).strip()
        if not text["question"]:
            problem("question", "'question' is missing or empty")
        choices = item.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            problem("choices", "'choices' must be a list of at least two answers")
            choices = []
        elif any(not isinstance(c, (str, int, float)) or isinstance(c, bool) or not str(c).strip()
                 for c in choices):
            problem("choices", "every choice must be non-empty text")
        answer = item.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool):
            problem("answer", "'answer' must be the number of the right choice (1 for the first)")
        elif choices and not 1 <= answer <= len(choices):
            problem("answer", f"'answer' is {answer}, out of range: there are {len(choices)} choices (1-{len(choices)})")
        if not bad:
            out.append(Question(text["question"], tuple(str(c).strip() for c in choices), answer,
                                text["question_en"], text["explain"], line))
    return tuple(out), errors
