# ada URL parser, built from the amalgamation that scripts/restore-deps.sh
# generates with ada's own singleheader/amalgamate.py. Same target and
# layout as upstream's deps/ada/ada.gyp.
{
  'targets': [
    {
      'target_name': 'ada',
      'type': 'static_library',
      'include_dirs': [ '.' ],
      'direct_dependent_settings': {
        'include_dirs': [ '.' ],
      },
      # ada 3.x needs C++20; common.gypi defaults dependencies to gnu++17.
      'cflags_cc!': [ '-std=gnu++17' ],
      'cflags_cc': [ '-std=gnu++20' ],
      'sources': [ 'ada.cpp' ],
    },
  ],
}
