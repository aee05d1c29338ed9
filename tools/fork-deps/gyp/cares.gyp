# c-ares, built from the release's sources. ares_config.h and ares_build.h
# are produced by c-ares's own CMake configure step on this machine
# (scripts/restore-deps.sh) and the source list is generated into
# cares_sources.gypi, so nothing here is copied from another platform.
{
  'includes': [ 'cares_sources.gypi' ],
  'targets': [
    {
      'target_name': 'cares',
      'type': 'static_library',
      'include_dirs': [ 'include', 'src/lib', 'src/lib/include', 'config' ],
      'defines': [ 'HAVE_CONFIG_H', 'CARES_BUILDING_LIBRARY', 'CARES_STATICLIB', '_GNU_SOURCE' ],
      'direct_dependent_settings': {
        'include_dirs': [ 'include' ],
        'defines': [ 'CARES_STATICLIB' ],
      },
      'cflags': [ '-Wno-unused-parameter' ],
      'sources': [ '<@(cares_sources)' ],
      'link_settings': { 'libraries': [ '-lpthread' ] },
    },
  ],
}
