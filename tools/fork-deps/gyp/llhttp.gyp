# llhttp, the C parser generated from llhttp's TypeScript sources with
# llparse (scripts/restore-deps.sh), plus its hand-written api.c/http.c.
# Same target and layout as upstream's deps/llhttp/llhttp.gyp.
{
  'targets': [
    {
      'target_name': 'llhttp',
      'type': 'static_library',
      'include_dirs': [ '.', 'include' ],
      'direct_dependent_settings': {
        'include_dirs': [ 'include' ],
      },
      'sources': [ 'src/llhttp.c', 'src/api.c', 'src/http.c' ],
    },
  ],
}
