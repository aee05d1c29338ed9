#!/usr/bin/env python3
"""public-headers.py [--map] TREE: what Node's tools/install.py installs as headers.

Runs the tree's own install.py, headers() only, with an action that records
instead of copying, and prints one source path per line, relative to TREE:

  FILE   a file install.py copies into include/node/
  DIR/   a directory install.py copies every .h of (deps/uv/include, the
         bundled OpenSSL's): a file added there later is public too

With --map, one line per file: its source path, a tab, and where it lands
relative to the install prefix (include/node/...); no directory lines.

So the list is install.py's, not a copy of it that could drift. It is the
widest list: the configure options that drop headers (shared libuv, OpenSSL
or zlib) are taken as off, since an addon built against upstream's official
headers sees all of them. config.gypi, which configure writes, is listed as
config.gypi.
"""
import importlib.util
import os
import sys
import tempfile


def main(tree, as_map=False):
  tree = os.path.abspath(tree)
  script = os.path.join(tree, 'tools', 'install.py')
  spec = importlib.util.spec_from_file_location('node_install', script)
  mod = importlib.util.module_from_spec(spec)
  sys.dont_write_bytecode = True
  spec.loader.exec_module(mod)

  with tempfile.NamedTemporaryFile('w', suffix='.gypi', delete=False) as f:
    f.write("{'variables': {}}\n")
    cfg = f.name
  try:
    opts = mod.parse_options(['install', '--headers-only', '--silent',
                              '--root-dir', tree, '--config-gypi-path', cfg])
  finally:
    os.unlink(cfg)
  opts.variables = {
    'node_shared_libuv': 'false',
    'node_use_openssl': 'true',
    'node_shared_openssl': 'false',
    'node_shared_zlib': 'false',
  }

  found = set()
  mapped = set()

  def rel(p):
    if p == cfg:
      return 'config.gypi'
    p = os.path.normpath(p if os.path.isabs(p) else os.path.join(tree, p))
    return os.path.relpath(p, tree)

  def record(options, paths, dest):
    for p in paths:
      found.add(rel(p))
      _, target = mod.mkpaths(options, 'config.gypi' if p == cfg else p, dest)
      mapped.add((rel(p), os.path.relpath(target, options.install_path)))

  # Directories copied whole (the action is the recorder itself, not a
  # filter such as V8's list of wanted headers) count as prefixes.
  orig_subdir_files = mod.subdir_files

  def subdir_files(options, path, dest, action):
    if action is record:
      found.add(rel(path).rstrip('/') + '/')
    return orig_subdir_files(options, path, dest, action)

  mod.subdir_files = subdir_files
  cwd = os.getcwd()
  os.chdir(tree)  # install.py's relative paths are the tree's
  try:
    mod.headers(opts, record)
  finally:
    os.chdir(cwd)
  if as_map:
    for src, dest in sorted(mapped):
      print('%s\t%s' % (src, dest))
  else:
    for p in sorted(found):
      print(p)


if __name__ == '__main__':
  args = sys.argv[1:]
  as_map = args[:1] == ['--map']
  if as_map:
    args = args[1:]
  if len(args) != 1:
    sys.exit('usage: public-headers.py [--map] TREE')
  main(args[0], as_map)
