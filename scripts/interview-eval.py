#!/usr/bin/env python3
"""Measure how Charley's interview behaves on conversations written apart from the project.

    scripts/interview-eval.py SET.jsonl [--charley PATH] [-v]

SET has one JSON object a line: {"id", "messages": [...], "expected": triage level,
"subject": "self" | "other:RELATION" (or the relation alone: "child", "partner")}. Each conversation goes through `charley chat --json`, one
message a line, and the script prints:

- the median (and mean) number of Charley's interview questions before the assessment, over the
  conversations that reach one, and how many never reach one;
- how many conversations have one question asked three times running;
- for conversations about another person, how many are addressed as such throughout (no
  question after the first message says "your cramps", "do you", ...);
- triage as expected (the last reply's triage against `expected`), and warning signs escalated.

Questions are told apart by their wording (the reply's last paragraph, without "Back to my
question:" and the like), so the script measures any build, old or new. Standard library only.
"""
import argparse
import json
import re
import statistics
import subprocess

RANK = {None: 0, "self_care": 0, "see_doctor": 1, "urgent": 2, "emergency": 3}
INTERVIEW = {"greeting", "onset", "location", "triggers", "symptoms", "history"}
PAST = {"assessment", "followup", "escalated", "ended"}


def assessed(reply):
    """The reply gives the assessment: at that stage, or on the way out ("bye" mid-interview),
    which the causes it ranks show."""
    return reply["stage"] in {"assessment", "followup"} or (reply["stage"] == "ended" and bool(reply.get("causes")))
# Second-person wording that is wrong when the person writes for someone else.
SELF_WORDS = re.compile(r"\b(your (cramps|leg|legs|calf|foot|feet|toes|thigh|shin|muscles?|medicines?)|do you|are you|have you|you get|you take|you have|you are|you said|how old are you)\b", re.I)


def question_of(reply):
    """The question a reply asks: its last paragraph when that ends with '?', normalised."""
    last = reply["reply"].strip().split("\n\n")[-1].strip()
    if not last.endswith("?") and "?" not in last:
        return None
    last = re.sub(r"^(Back to my question:|Sorry, I didn't quite follow\.|Thanks, I've noted that\.|I have that already\.)\s*", "", last)
    return last.split(" You could say:")[0]


def run(charley, messages):
    out = subprocess.run([charley, "chat", "--json"], input="\n".join(m.replace("\n", " ") for m in messages) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return [json.loads(line) for line in out if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("set")
    parser.add_argument("--charley", default=".build/debug/charley")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    conversations = [json.loads(line) for line in open(args.set, encoding="utf-8") if line.strip()]
    counts, never, looping, triaged = [], 0, 0, 0
    others = addressed = 0
    warnings = escalated = 0
    for conversation in conversations:
        replies = run(args.charley, conversation["messages"])
        asked = 0
        reached = False
        for reply in replies:
            if reply["stage"] in PAST:
                reached = assessed(reply) or reached
                break
            if question_of(reply):
                asked += 1
        else:
            reached = False
        if any(assessed(r) for r in replies):
            counts.append(asked)
        elif not any(r["stage"] == "escalated" for r in replies):
            never += 1
            if args.verbose:
                print(f"{conversation['id']}: no assessment after {len(replies)} replies")
        questions = [question_of(r) for r in replies]
        run_of = [1]
        for previous, current in zip(questions, questions[1:]):
            run_of.append(run_of[-1] + 1 if current and current == previous else 1)
        if max(run_of) >= 3:
            looping += 1
            if args.verbose:
                print(f"{conversation['id']}: a question asked {max(run_of)} times running")
        if conversation.get("subject", "self") != "self":
            others += 1
            wrong = [r["reply"] for r in replies[1:] if r["stage"] in INTERVIEW and SELF_WORDS.search(question_of(r) or "")]
            if not wrong:
                addressed += 1
            elif args.verbose:
                print(f"{conversation['id']}: addressed as the writer: {wrong[0][-120:]!r}")
        got = replies[-1].get("triage") if replies else None
        if RANK[got] == RANK[conversation["expected"]]:
            triaged += 1
        elif args.verbose:
            print(f"{conversation['id']}: triage {got}, expected {conversation['expected']}")
        if RANK[conversation["expected"]] >= 2:
            warnings += 1
            escalated += RANK[got] >= RANK[conversation["expected"]]
    total = len(conversations)
    if counts:
        print(f"questions before the assessment: median {statistics.median(counts)}, mean {statistics.mean(counts):.1f} "
              f"(over {len(counts)} assessed; {never} never assessed)")
    print(f"a question asked three times running: {looping}/{total}")
    print(f"another person addressed as such throughout: {addressed}/{others}")
    print(f"triaged as expected: {triaged}/{total} = {triaged / max(1, total):.3f}; warning signs escalated: {escalated}/{warnings}")


if __name__ == "__main__":
    main()
