Feature: Verify that nothing changed outside pmprb
  `pmprb audit verify` recomputes the audit chain and compares what is
  stored — including the pinned instrument and the evidence files on disk —
  with what was recorded. Each edit made behind pmprb's back is named.

  Background:
    Given a finalised round "2024" with three assessors and two consensus items

  Scenario: A clean round verifies
    When the auditor runs "audit verify --round 2024"
    Then the command exits with code 0

  Scenario: The instrument JSON edited with SQL is named
    Given the weight of area "MP" in the instrument of round "2024" is changed with SQL
    When the auditor runs "audit verify --round 2024"
    Then the command exits with code 5
    And the output says "[instrument] JSON instrumen yang tersimpan"
    And the output says "instrumen ronde diubah pada: areas[MP].weight"

  Scenario: An evidence file altered on disk is named
    Given the stored file of evidence "800/12/2024" is altered on disk
    When the auditor runs "audit verify --round 2024"
    Then the command exits with code 5
    And the output says "berkas bukti 800/12/2024 (unit DINKES, revisi 1, “SK Tim Reformasi Birokrasi”) telah diubah di luar pmprb"

  Scenario: A missing evidence file is named, in English on request
    Given the stored file of evidence "050/7/2020" is deleted
    When the auditor runs "audit verify --round 2024" in English
    Then the command exits with code 5
    And the output says "evidence file 050/7/2020 (unit DINKES, revision 1, “Road Map RB 2020-2024”) is missing from the evidence store"
