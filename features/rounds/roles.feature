Feature: Who may do what in a round
  The acting person comes from --as (or PMPRB_USER). A person without the
  role for an action is refused with exit code 6 and a message saying which
  role it needs; an auditor has read-only access to everything.

  Background:
    Given the institution "Pemerintah Kota Contoh" with admin "admin"
    And these people:
      | username | name             | roles               |
      | kora     | Kora Koordinator | koordinator         |
      | kiki     | Kiki Koordinator | koordinator         |
      | ani      | Ani Asesor       | asesor              |
      | audi     | Audi Auditor     | auditor             |
    And the units "DINKES" and "BAPPEDA"
    And "kora" has created round "2024" for year 2024

  Scenario Outline: Round commands refused for the wrong role
    Given round "2024" has reached "<state>"
    When "<actor>" runs "<command>"
    Then the command fails with exit code 6 and the message "<message>"
    And round "2024" is still "<state>"

    Examples:
      | state     | actor | command                              | message                                                                                      |
      | draft     | ani   | round create --year 2025             | Ani Asesor (ani), dengan peran asesor, tidak berwenang untuk membuat ronde; diperlukan peran: admin atau koordinator |
      | draft     | audi  | round create --year 2025             | Audi Auditor (audi) adalah auditor dengan akses baca saja dan tidak dapat membuat ronde       |
      | draft     | ani   | round open 2024                      | tidak berwenang untuk membuka ronde; diperlukan peran: admin atau koordinator                |
      | draft     | audi  | round open 2024                      | akses baca saja dan tidak dapat membuka ronde                                                |
      | open      | ani   | round review 2024                    | tidak berwenang untuk memulai reviu ronde                                                    |
      | open      | audi  | round review 2024                    | akses baca saja dan tidak dapat memulai reviu ronde                                          |
      | review    | ani   | round consensus 2024                 | tidak berwenang untuk memulai konsensus                                                      |
      | review    | audi  | round consensus 2024                 | akses baca saja dan tidak dapat memulai konsensus                                            |
      | consensus | ani   | round finalise 2024                  | Ani Asesor (ani), dengan peran asesor, tidak berwenang untuk memfinalisasi ronde; diperlukan peran: koordinator |
      | consensus | admin | round finalise 2024                  | dengan peran admin, tidak berwenang untuk memfinalisasi ronde; diperlukan peran: koordinator |
      | consensus | audi  | round finalise 2024                  | akses baca saja dan tidak dapat memfinalisasi ronde                                          |
      | final     | ani   | round reopen 2024 --reason salah     | tidak berwenang untuk membuka kembali ronde final; diperlukan peran: koordinator             |
      | final     | admin | round reopen 2024 --reason salah     | tidak berwenang untuk membuka kembali ronde final; diperlukan peran: koordinator             |
      | final     | audi  | round reopen 2024 --reason salah     | akses baca saja dan tidak dapat membuka kembali ronde final                                  |
      | draft     | ani   | assign --round 2024 --assessor ani --unit DINKES | tidak berwenang untuk menugaskan asesor                                          |
      | draft     | audi  | assign --round 2024 --assessor ani --unit DINKES | akses baca saja dan tidak dapat menugaskan asesor                                |
      | draft     | ani   | unit add DISDIK 'Dinas Pendidikan'   | tidak berwenang untuk mengelola unit kerja; diperlukan peran: admin                          |
      | draft     | kora  | unit add DISDIK 'Dinas Pendidikan'   | Kora Koordinator (kora), dengan peran koordinator, tidak berwenang untuk mengelola unit kerja             |
      | draft     | audi  | unit import units.csv                | akses baca saja dan tidak dapat mengelola unit kerja                                         |
      | draft     | kora  | person add budi --name Budi --role asesor | tidak berwenang untuk mendaftarkan orang; diperlukan peran: admin                       |
      | draft     | audi  | person add budi --name Budi --role asesor | akses baca saja dan tidak dapat mendaftarkan orang                                      |
      | open      | audi  | evidence add sk.pdf --round 2024 --unit DINKES --criterion MP.1.a --title SK --date 2024-01-02 | akses baca saja dan tidak dapat menambah bukti dukung |
      | open      | zoe   | round review 2024                    | pengguna 'zoe' tidak terdaftar                                                               |

  Scenario: Nobody named as the acting person is a usage mistake, not a refusal for a role
    Given round "2024" has reached "open"
    When "" runs "round review 2024"
    Then the command fails with exit code 2 and the message "siapa yang bertindak? Sebutkan dengan --as NAMA_PENGGUNA atau variabel PMPRB_USER"
    And round "2024" is still "open"

  Scenario Outline: Worksheet and answer actions refused for the wrong person
    Given round "2024" has reached "<state>"
    When "<actor>" <action>
    Then it is refused with exit code 6 and the message "<message>"

    Examples:
      | state  | actor | action                                               | message                                                                |
      | open   | kora  | saves answer "A" to "MP.1.a" of "DINKES"             | tidak berwenang untuk mengisi jawaban penilaian; diperlukan peran: asesor |
      | open   | audi  | saves answer "A" to "MP.1.a" of "DINKES"             | akses baca saja dan tidak dapat mengisi jawaban penilaian              |
      | open   | ani   | saves answer "Ya" to "PPU.1.a" of "DINKES"           | ani tidak ditugaskan untuk area PPU pada unit DINKES                    |
      | review | ani   | accepts the worksheet of "ani" for "DINKES"          | tidak berwenang untuk mereviu kertas kerja (terima/kembalikan)          |
      | review | audi  | accepts the worksheet of "ani" for "DINKES"          | akses baca saja dan tidak dapat mereviu kertas kerja                    |
      | review | audi  | returns the worksheet of "ani" for "DINKES" because "x" | akses baca saja dan tidak dapat mereviu kertas kerja                 |

  Scenario: Anyone registered, and auditors in particular, may read and verify
    Given round "2024" has reached "final"
    When "audi" runs "round show 2024 --json"
    Then the command succeeds
    When "audi" runs "audit verify --round 2024"
    Then the command succeeds
