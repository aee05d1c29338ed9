# simdjson, from the release's single-header amalgamation plus
# simdjson_node_compat.h (see that file). Same target as upstream's
# deps/simdjson/simdjson.gyp.
{
  'targets': [
    {
      'target_name': 'simdjson',
      'type': 'static_library',
      'include_dirs': [ '.' ],
      'direct_dependent_settings': {
        'include_dirs': [ '.' ],
      },
      'sources': [ 'simdjson.cpp' ],
    },
  ],
}
