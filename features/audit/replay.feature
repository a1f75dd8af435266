Feature: Replay every rule decision of a round
  An auditor re-runs every stored decision record against the instrument
  revision the round pinned (never the rule files on disk) and compares the
  result and the rule trace byte for byte. The frozen final result is
  recomputed from the final decisions it rests on. Anything that does not
  reproduce is named, and the command exits with code 5.

  Background:
    Given a finalised round "2024" with three assessors and two consensus items

  Scenario: Replay of a finalised round matches
    When the auditor runs "audit replay --round 2024"
    Then the command exits with code 0
    And the output says "212 keputusan, 212 cocok, 0 tidak cocok"
    And the output says "Hasil akhir beku ke-1: cocok dengan hitung ulang dari keputusan final"

  Scenario: A decision record edited with SQL is named by the replay
    Given the final decision record of "MP.2.b" has its value changed to 0.5 with SQL
    When the auditor runs "audit replay --round 2024"
    Then the command exits with code 5
    And the output says "211 cocok, 1 tidak cocok"
    And the output names the edited decision record of "MP.2.b" as "hasil berbeda"

  Scenario: The frozen result edited with SQL no longer matches its recomputation
    Given the frozen Indeks RB of round "2024" is raised by 1 point with SQL
    When the auditor runs "audit replay --round 2024"
    Then the command exits with code 5
    And the output says "Hasil akhir beku ke-1: TIDAK cocok"
    And the output says "score.indeks_rb: beku"

  Scenario: An exported decision log replays without the database
    When the auditor runs "audit export --round 2024 --format jsonl -o keputusan.jsonl"
    Then the command exits with code 0
    When the database is out of reach
    And the auditor runs "audit replay --from keputusan.jsonl"
    Then the command exits with code 0
    And the output says "212 keputusan, 212 cocok, 0 tidak cocok"
    And no database was opened
