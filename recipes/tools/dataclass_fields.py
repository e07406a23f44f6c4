"""List the field names of Python dataclasses, read from source files without importing them.

Used once per pinned version to write the fixtures the recipe tests check keyword arguments and YAML
keys against (recipes/trl/dpo-config-fields.txt, recipes/llama-factory/hparams-fields.txt):

    git -C trl show v1.9.0:trl/trainer/dpo_config.py > /tmp/dpo_config.py
    python3 recipes/tools/dataclass_fields.py /tmp/dpo_config.py:DPOConfig /tmp/base_config.py:_BaseConfig

Each argument is FILE:CLASS. A class's fields are its annotated class-level names (what @dataclass turns
into __init__ keywords); bases are followed when they are among the classes found in the given files,
and a base that is not (e.g. transformers.TrainingArguments) is printed as `# base not read: NAME` so
the fixture says what it does not cover. Pure standard library (ast), so Debian's python3 runs it.
"""
import ast
import sys


def classes_in(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def base_name(expr):
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return ast.unparse(expr)


def own_fields(node):
    out = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            # ClassVar annotations are not dataclass fields.
            if "ClassVar" not in ast.unparse(stmt.annotation):
                out.append(stmt.target.id)
    return out


def collect(name, known, seen, fields, missing):
    if name in seen:
        return
    seen.add(name)
    node = known.get(name)
    if node is None:
        missing.append(name)
        return
    for base in node.bases:
        collect(base_name(base), known, seen, fields, missing)
    for f in own_fields(node):
        if f not in fields:
            fields.append(f)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    known, roots = {}, []
    for arg in argv:
        path, _, cls = arg.rpartition(":")
        known.update(classes_in(path))
        roots.append(cls)
    fields, missing, seen = [], [], set()
    for cls in roots:
        collect(cls, known, seen, fields, missing)
    for name in missing:
        print(f"# base not read: {name}")
    for f in sorted(fields):
        print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
