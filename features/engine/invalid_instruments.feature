Feature: Invalid instruments are rejected with every error located
  Loading an instrument validates it fully. Each error names the file, the
  line and the path inside the file; all errors are reported at once. Each
  scenario breaks a fresh copy of pmprb-2014 ({dir} is that copy's folder).

  Background:
    Given a copy of the pmprb-2014 instrument
    And the language is English

  Scenario: an unknown key
    Given in "03-org.yaml" the text "      text: Belum dilakukan evaluasi yang menganalisis kemungkinan duplikasi fungsi kepada unit kerja" is replaced by "      score: 0\n      text: Belum dilakukan evaluasi yang menganalisis kemungkinan duplikasi fungsi kepada unit kerja"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                           |
      | {dir}/03-org.yaml:55: subareas[0].criteria[2].options[2].score: unknown key 'score' (allowed: answer, text, text_en) |
    And the error summary is "{dir}: instrument is invalid (1 error)"

  Scenario: an unknown key, a missing key and a wrong type in Bahasa Indonesia (the default)
    Given the language is Bahasa Indonesia
    And in "03-org.yaml" the text "      text: Belum dilakukan evaluasi yang menganalisis kemungkinan duplikasi fungsi kepada unit kerja" is replaced by "      score: 0\n      text: Belum dilakukan evaluasi yang menganalisis kemungkinan duplikasi fungsi kepada unit kerja"
    And in "02-ppu.yaml" the text "ratl_responsible: Bagian Hukum" is removed
    And in "02-ppu.yaml" the text "weight: 5.0" is replaced by "weight: lima"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                                     |
      | {dir}/02-ppu.yaml:4: weight: seharusnya angka, bukan str 'lima'                                                           |
      | {dir}/02-ppu.yaml:1: (dokumen): kunci wajib 'ratl_responsible' tidak ada                                                  |
      | {dir}/03-org.yaml:55: subareas[0].criteria[2].options[2].score: kunci 'score' tidak dikenal (yang diizinkan: answer, text, text_en) |
    And the error summary is "{dir}: instrumen tidak valid (3 kesalahan)"

  Scenario: a missing key
    Given in "02-ppu.yaml" the text "ratl_responsible: Bagian Hukum" is removed
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                     |
      | {dir}/02-ppu.yaml:1: (document): missing required key 'ratl_responsible' |

  Scenario: a value of the wrong type
    Given in "02-ppu.yaml" the text "weight: 5.0" is replaced by "weight: lima"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                          |
      | {dir}/02-ppu.yaml:4: weight: expected a number, got str 'lima' |

  Scenario: a duplicate id
    Given in "02-ppu.yaml" the text "- id: PPU.2\n  name:" is replaced by "- id: PPU.1\n  name:"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                       |
      | {dir}/02-ppu.yaml:46: subareas[1].id: duplicate id 'PPU.1' (sub-area; first defined at {dir}/02-ppu.yaml:7) |

  Scenario: options that do not match the answer type
    Given in "03-org.yaml" the text "duplikasi fungsi\n    answer_type: A/B/C" is replaced by "duplikasi fungsi\n    answer_type: A/B/C/D"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                                      |
      | {dir}/03-org.yaml:47: subareas[0].criteria[2].options: options ['A', 'B', 'C'] do not match answer type A/B/C/D ['A', 'B', 'C', 'D'] |

  Scenario: a gating rule that points at an unknown criterion
    Given in "01-mp.yaml" the text "criterion: MP.1.a" is replaced by "criterion: MP.1.z"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                  |
      | {dir}/01-mp.yaml:13: subareas[0].gating[0].when.criterion: gating rule points at unknown criterion 'MP.1.z' |

  Scenario: sub-area weights that do not add up to their area
    Given in "02-ppu.yaml" the text "  name: Harmonisasi\n  weight: 2.5" is replaced by "  name: Harmonisasi\n  weight: 2.0"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                      |
      | {dir}/02-ppu.yaml:4: weight: sub-area weights of area PPU add up to 4.5, not the area weight 5 |

  Scenario: area weights that do not add up to 60
    Given in "02-ppu.yaml" the text "weight: 5.0" is replaced by "weight: 6.0"
    And in "02-ppu.yaml" the text "  name: Harmonisasi\n  weight: 2.5" is replaced by "  name: Harmonisasi\n  weight: 3.5"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                       |
      | {dir}/instrument.yaml:8: pengungkit_total: area weights add up to 61, not pengungkit_total 60 |

  Scenario: Hasil components that do not add up to 40
    Given in "instrument.yaml" the text "    name: Kualitas Pelayanan Publik\n    weight: 10" is replaced by "    name: Kualitas Pelayanan Publik\n    weight: 11"
    And in "instrument.yaml" the text "(survei eksternal)\n      weight: 10" is replaced by "(survei eksternal)\n      weight: 11"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                |
      | {dir}/instrument.yaml:55: hasil.total: Hasil components add up to 41, not the Hasil total 40 |

  Scenario: Hasil parts that do not add up to their component
    Given in "instrument.yaml" the text "(survei eksternal)\n      weight: 10" is replaced by "(survei eksternal)\n      weight: 11"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                    |
      | {dir}/instrument.yaml:113: hasil.components[2].weight: parts of Hasil component H.3 add up to 11, not its weight 10 |

  Scenario: every shape error in every file is reported at once
    Given in "02-ppu.yaml" the text "weight: 5.0" is replaced by "weight: lima"
    And in "01-mp.yaml" the text "ratl_responsible: Tim Reformasi Birokrasi" is removed
    And in "instrument.yaml" the text "pengungkit_total: 60" is replaced by "pengungkit_total: enam puluh"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                  |
      | {dir}/instrument.yaml:8: pengungkit_total: expected a number, got str 'enam puluh'     |
      | {dir}/01-mp.yaml:1: (document): missing required key 'ratl_responsible'              |
      | {dir}/02-ppu.yaml:4: weight: expected a number, got str 'lima'                         |
    And the error summary is "{dir}: instrument is invalid (3 errors)"

  Scenario: every consistency error is reported at once
    Given in "01-mp.yaml" the text "criterion: MP.1.a" is replaced by "criterion: MP.1.z"
    And in "02-ppu.yaml" the text "  name: Harmonisasi\n  weight: 2.5" is replaced by "  name: Harmonisasi\n  weight: 2.0"
    And in "instrument.yaml" the text "(survei eksternal)\n      weight: 10" is replaced by "(survei eksternal)\n      weight: 11"
    When the instrument is loaded
    Then loading fails with exactly these errors:
      | error                                                                                                    |
      | {dir}/02-ppu.yaml:4: weight: sub-area weights of area PPU add up to 4.5, not the area weight 5             |
      | {dir}/01-mp.yaml:13: subareas[0].gating[0].when.criterion: gating rule points at unknown criterion 'MP.1.z' |
      | {dir}/instrument.yaml:113: hasil.components[2].weight: parts of Hasil component H.3 add up to 11, not its weight 10 |
    And the error summary is "{dir}: instrument is invalid (3 errors)"
