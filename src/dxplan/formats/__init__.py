"""Files: reading and writing plans, index definitions, scenarios and workbooks.

- :mod:`~dxplan.formats.converter`: the one cattrs converter every file goes
  through, and the one shape of its errors (``file:$.path: found …; expected …``);
- :mod:`~dxplan.formats.io`: plan files (TOML, JSON, Python), written by the one
  no-clobber writer of :mod:`dxplan._files`;
- :mod:`~dxplan.formats.schema`: the JSON Schema of plan, index and scenario files;
- :mod:`~dxplan.formats._index_files`: index definition files;
- :mod:`~dxplan.formats.scenario_files`: scenario files;
- :mod:`~dxplan.formats.excel`, :mod:`~dxplan.formats._excel`,
  :mod:`~dxplan.formats._data_excel`: Excel workbooks out and in.
"""
