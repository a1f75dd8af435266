Feature: Round lifecycle
  A round moves draft → open → review → consensus → final, and can be
  reopened from final with a reason. Each step has its guard; every other
  transition is refused, naming the current state and the allowed ones.

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

  Scenario: A round goes all the way to final and is reopened with a reason
    Given "ani" is assigned area "MP" of "DINKES" in round "2024"
    When "kora" runs "round open 2024"
    Then the command succeeds and round "2024" is "open"
    When "ani" answers every assigned criterion of "DINKES" and submits the worksheet
    And "kora" runs "round review 2024"
    Then the command succeeds and round "2024" is "review"
    When "kora" accepts the worksheet of "ani" for "DINKES"
    And "kora" runs "round consensus 2024"
    Then the command succeeds and round "2024" is "consensus"
    When "kora" enters the Hasil figures of round "2024"
    And "kora" runs "round finalise 2024"
    Then the command succeeds and round "2024" is "final"
    When "kora" runs "round reopen 2024 --reason 'Bukti MP.1.a keliru' --to review"
    Then the command succeeds and round "2024" is "review"
    And round "2024" keeps a snapshot of its final state with reason "Bukti MP.1.a keliru"
    And every transition of round "2024" is in its audit log and the log verifies

  Scenario: A round can go back from review to open so a returned worksheet is corrected
    Given round "2024" has reached "review"
    When "kora" returns the worksheet of "ani" for "DINKES" because "Lampirkan SK"
    And "kora" runs "round open 2024"
    Then the command succeeds and round "2024" is "open"

  Scenario Outline: Transitions that the state does not allow are refused
    Given round "2024" has reached "<state>"
    When "kora" runs "round <event> 2024 <extra>"
    Then the command fails with exit code 7 and the message "Ronde 2024 berstatus <shown>; langkah “<step>” tidak dapat dilakukan sekarang. Langkah yang dapat dilakukan: <allowed>"
    And round "2024" is still "<state>"

    Examples:
      | state     | event     | extra                | shown   | step             | allowed                  |
      | draft     | review    |                      | draf    | mulai reviu      | buka                     |
      | draft     | consensus |                      | draf    | mulai konsensus  | buka                     |
      | draft     | finalise  |                      | draf    | finalisasi       | buka                     |
      | draft     | reopen    | --reason x           | draf    | buka kembali     | buka                     |
      | open      | open      |                      | dibuka  | buka             | mulai reviu              |
      | open      | consensus |                      | dibuka  | mulai konsensus  | mulai reviu              |
      | open      | finalise  |                      | dibuka  | finalisasi       | mulai reviu              |
      | open      | reopen    | --reason x           | dibuka  | buka kembali     | mulai reviu              |
      | review    | review    |                      | reviu   | mulai reviu      | buka, mulai konsensus    |
      | review    | finalise  |                      | reviu   | finalisasi       | buka, mulai konsensus    |
      | review    | reopen    | --reason x           | reviu   | buka kembali     | buka, mulai konsensus    |
      | consensus | open      |                      | konsensus | buka             | finalisasi               |
      | consensus | review    |                      | konsensus | mulai reviu      | finalisasi               |
      | consensus | consensus |                      | konsensus | mulai konsensus  | finalisasi               |
      | consensus | reopen    | --reason x           | konsensus | buka kembali     | finalisasi               |
      | final     | open      |                      | final   | buka             | buka kembali             |
      | final     | review    |                      | final   | mulai reviu      | buka kembali             |
      | final     | consensus |                      | final   | mulai konsensus  | buka kembali             |
      | final     | finalise  |                      | final   | finalisasi       | buka kembali             |

  Scenario Outline: Guards refuse a transition until the round is ready
    Given round "2024" has reached "<state>"
    And <situation>
    When "kora" runs "round <event> 2024 <extra>"
    Then the command fails with exit code 7 and the message "<message>"
    And round "2024" is still "<state>"

    Examples:
      | state     | situation                                              | event     | extra        | message                                                          |
      | draft     | nobody is assigned in round "2024"                     | open      |              | belum ada asesor yang ditugaskan                                 |
      | open      | the worksheet of "ani" for "DINKES" is still in progress | review  |              | kertas kerja ani untuk unit DINKES masih sedang diisi            |
      | review    | the worksheet of "ani" for "DINKES" is not yet accepted | consensus |              | belum diterima koordinator (kini dikirim)                        |
      | consensus | a consensus item is still open in round "2024"         | finalise  |              | 1 butir konsensus masih terbuka                                  |
      | final     | nothing else                                           | reopen    | --reason " " | alasan wajib diisi untuk buka kembali                            |

  Scenario: Answers are refused once the round is no longer open
    Given round "2024" has reached "review"
    When "ani" saves answer "A" to "MP.1.a" of "DINKES"
    Then it is refused with exit code 7 and the message "kertas kerja ani/DINKES sudah dikirim dan terkunci"

  Scenario: Refusals are explained in English with --lang en
    Given round "2024" has reached "draft"
    When "kora" runs "--lang en round finalise 2024"
    Then the command fails with exit code 7 and the message "Round 2024 is draft; the step “finalise” cannot be taken now. Steps possible now: open"
