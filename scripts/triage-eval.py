#!/usr/bin/env python3
"""Measure Charley's triage on messages and conversations written apart from the project.

    scripts/triage-eval.py messages SET.tsv [--charley PATH] [-v]
    scripts/triage-eval.py conversations SET.jsonl [--charley PATH] [-v]

A messages set has one message a line, RULE<TAB>TEXT: RULE is the triage rule the message must
raise (at least at that rule's level; a see_doctor rule, which is no red flag, by the triage of a
conversation that starts with the message), or `none` for a false alarm (the format of
Sources/Knowledge/Resources/knowledge/warning-signs.tsv, which `swift test` checks; this script
is for sets kept outside the project, so that they stay unseen).

A conversations set has one JSON object a line: {"id", "messages": [...], "expected":
"self_care" | "see_doctor" | "urgent" | "emergency"}: each conversation goes through
`charley chat --json`, and its last reply's triage is compared with the expected one.

Prints the share of warning signs raised at least at their level (per rule for messages), the
false alarms, and for conversations the share triaged as expected. Standard library only.
"""
import argparse
import collections
import json
import subprocess
import sys

RANK = {None: 0, "self_care": 0, "see_doctor": 1, "urgent": 2, "emergency": 3}


def rule_levels(charley):
    model = json.loads(subprocess.run([charley, "knowledge", "--json"], capture_output=True, text=True, check=True).stdout)
    return {rule["id"]: rule["level"] for rule in model["triage_rules"]}


def messages(path, charley, verbose):
    levels = rule_levels(charley)
    rows = [line.rstrip("\n").split("\t", 1) for line in open(path, encoding="utf-8") if line.strip() and not line.startswith("#")]
    rows = [(rule.lstrip("!"), text) for rule, text in rows]
    unknown = sorted({rule for rule, _ in rows if rule != "none" and rule not in levels})
    if unknown:
        sys.exit(f"{path}: no triage rule has these ids: {', '.join(unknown)}")
    replies = subprocess.run([charley, "interpret"], input="\n".join(text for _, text in rows) + "\n",
                             capture_output=True, text=True, check=True).stdout.splitlines()
    per_rule = collections.defaultdict(lambda: [0, 0])
    alarms = negatives = 0
    for (rule, text), reply in zip(rows, replies):
        raised = json.loads(reply)["red_flags"]
        top = max((RANK[levels[flag]] for flag in raised), default=0)
        if rule != "none" and levels[rule] == "see_doctor":
            # A see_doctor rule is no red flag of the message alone: it sets the triage of the
            # conversation, so the message is sent as a conversation's first.
            first = subprocess.run([charley, "chat", "--json"], input=text + "\n", capture_output=True, text=True, check=True).stdout
            top = RANK[json.loads(first.splitlines()[0]).get("triage")]
        if rule == "none":
            negatives += 1
            if raised:
                alarms += 1
                if verbose:
                    print(f"false alarm {raised}: {text}")
            continue
        per_rule[rule][1] += 1
        if top >= RANK[levels[rule]]:
            per_rule[rule][0] += 1
        elif verbose:
            print(f"missed {rule} (raised {raised}): {text}")
    for rule, (passed, total) in sorted(per_rule.items()):
        print(f"  {rule}: {passed}/{total}")
    passed = sum(p for p, _ in per_rule.values())
    total = sum(t for _, t in per_rule.values())
    print(f"warning signs raised at least at their level: {passed}/{total} = {passed / max(1, total):.3f}")
    print(f"false alarms: {alarms}/{negatives}")


def conversations(path, charley, verbose):
    rows = []
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        conversation = json.loads(line)
        out = subprocess.run([charley, "chat", "--json"], input="\n".join(m.replace("\n", " ") for m in conversation["messages"]) + "\n",
                             capture_output=True, text=True, check=True).stdout.splitlines()
        replies = [json.loads(o) for o in out if o.startswith("{")]
        rows.append((conversation, replies[-1].get("triage") if replies else None))
    warnings = [(c, got) for c, got in rows if RANK[c["expected"]] >= 2]
    others = [(c, got) for c, got in rows if RANK[c["expected"]] < 2]
    escalated = sum(1 for c, got in warnings if RANK[got] >= RANK[c["expected"]])
    alarms = sum(1 for c, got in others if RANK[got] >= 2)
    same = sum(1 for c, got in rows if (got or "self_care") == c["expected"])
    print(f"conversations: {len(rows)}; triaged as expected {same}/{len(rows)} = {same / max(1, len(rows)):.3f}")
    print(f"warning signs escalated at least to their level: {escalated}/{len(warnings)}")
    print(f"false alarms (urgent or emergency where less was expected): {alarms}/{len(others)}")
    if verbose:
        for c, got in rows:
            if (got or "self_care") != c["expected"]:
                print(f"{c.get('id')}: expected {c['expected']}, got {got}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["messages", "conversations"])
    parser.add_argument("path")
    parser.add_argument("--charley", default=".build/debug/charley", help="the charley binary (default: .build/debug/charley)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    (messages if args.kind == "messages" else conversations)(args.path, args.charley, args.verbose)


if __name__ == "__main__":
    main()
