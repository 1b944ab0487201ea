"""Architecture check of the consult package, from its own import statements.

Run from the project root: python3 tools/check_architecture.py .  (a copy of the workplace's
shared checker, kept in the repository so every clone runs it in its tests)

- consult/analysis imports neither Flask nor SQLAlchemy nor any consult module outside analysis;
- no module imports another feature's views;
- no import cycle between consult modules (module-level imports);
- file sizes: median and largest, files over 400 lines named.
Prints one summary line last; exit 1 when a rule is broken.
"""
import ast, statistics, sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else '.') / 'consult'
if not root.is_dir():
    print('no consult/ package'); sys.exit(1)
mods, sizes, broken = {}, {}, []
for f in root.rglob('*.py'):
    name = '.'.join(f.relative_to(root.parent).with_suffix('').parts).removesuffix('.__init__')
    text = f.read_text(encoding='utf-8', errors='replace')
    sizes[name] = text.count('\n') + 1
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        broken.append(f'{name}: syntax error {e}'); continue
    deps = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            deps.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                pkg = name.split('.') if f.name == '__init__.py' else name.split('.')[:-1]
                pkg = pkg[:len(pkg) - node.level + 1]
                base = '.'.join(pkg + ([base] if base else []))
            deps.add(base)
            deps.update(f'{base}.{a.name}' for a in node.names)
    mods[name] = deps

def top_level_deps(name):  # imports at module level only, for cycles
    f = root.parent / (name.replace('.', '/') + ('/__init__.py' if (root.parent / name.replace('.', '/')).is_dir() else '.py'))
    tree = ast.parse(f.read_text(encoding='utf-8', errors='replace'))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                pkg = name.split('.') if f.name == '__init__.py' else name.split('.')[:-1]
                pkg = pkg[:len(pkg) - node.level + 1]
                base = '.'.join(pkg + ([base] if base else []))
            out |= {d for d in [base] + [f'{base}.{a.name}' for a in node.names] if d in mods}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in mods}
    return out - {name}

for name, deps in mods.items():
    if name.startswith('consult.analysis'):
        bad = sorted(d for d in deps if d.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')
                     or (d.startswith('consult') and not d.startswith('consult.analysis')))
        if bad: broken.append(f'{name} (pure analysis) imports {bad[:3]}')
    feature = name.split('.')[1] if name.count('.') >= 1 else ''
    for d in deps:
        parts = d.split('.')
        if len(parts) >= 3 and parts[0] == 'consult' and parts[2] == 'views' and parts[1] != feature:
            broken.append(f"{name} imports another feature's views: {d}")

graph = {m: top_level_deps(m) for m in mods}
color, cycles = {}, []
def dfs(m, stack):
    color[m] = 1; stack.append(m)
    for d in graph.get(m, ()):
        if color.get(d) == 1:
            cycles.append(stack[stack.index(d):] + [d])
        elif not color.get(d):
            dfs(d, stack)
    stack.pop(); color[m] = 2
for m in mods:
    if not color.get(m): dfs(m, [])
for c in cycles[:3]:
    broken.append('import cycle: ' + ' -> '.join(c))
big = sorted((n for n, s in sizes.items() if s > 400), key=lambda n: -sizes[n])
for b in broken[:8]: print(b)
print(f"{len(mods)} modules, median {statistics.median(sizes.values()):.0f} lines, largest {max(sizes.values())} "
      f"({max(sizes, key=sizes.get)}), over 400: {len(big)} {big[:4]}, rules broken: {len(broken)}")
sys.exit(1 if broken else 0)
