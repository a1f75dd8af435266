Feature: WBK thresholds decided by rules, each at and just below its bound
  The WBK predicate is data: every threshold compiles to a rule over one fact
  per measure. A measure exactly at its bound meets the threshold; 0.01 below
  it does not, and the shortfall is named. Both rule engines must agree.

  Background:
    Given the instrument "zi-2021"
    And a unit that answers every item of the instrument with its best option

  Scenario Outline: <threshold> exactly at its bound <bound> is met
    When its measure <measure> is <bound> and the predicates are decided
    Then WBK threshold "<threshold>" is met
    And the unit meets WBK
    And both rule engines decide the predicates identically

    Examples:
      | threshold        | measure   | bound |
      | total            | total     | 75    |
      | pengungkit       | pengungkit| 40    |
      | area:MP          | group_MP  | 60    |
      | area:TL          | group_TL  | 60    |
      | area:SDM         | group_SDM | 60    |
      | area:AKT         | group_AKT | 60    |
      | area:PWS         | group_PWS | 60    |
      | area:PP          | group_PP  | 60    |
      | bersih_akuntabel | hasil_H_1 | 18.25 |
      | pelayanan_prima  | hasil_H_2 | 14    |

  Scenario Outline: <threshold> just below its bound is not met, with its shortfall
    When its measure <measure> is <below> and the predicates are decided
    Then WBK threshold "<threshold>" is not met, short by <shortfall>
    And it is the only WBK threshold not met
    And the unit does not meet WBK
    And both rule engines decide the predicates identically

    Examples:
      | threshold        | measure   | below | shortfall |
      | total            | total     | 74.99 | 0.01      |
      | pengungkit       | pengungkit| 39.99 | 0.01      |
      | area:MP          | group_MP  | 59.99 | 0.01      |
      | area:TL          | group_TL  | 59.99 | 0.01      |
      | area:SDM         | group_SDM | 59.99 | 0.01      |
      | area:AKT         | group_AKT | 59.99 | 0.01      |
      | area:PWS         | group_PWS | 59.99 | 0.01      |
      | area:PP          | group_PP  | 59.99 | 0.01      |
      | bersih_akuntabel | hasil_H_1 | 18.24 | 0.01      |
      | pelayanan_prima  | hasil_H_2 | 13.99 | 0.01      |

  Scenario: A survey score that is 14 on paper meets the excellent-service threshold
    When the service-quality perception survey H.2.a is 3.2 and the worksheet is scored
    Then the Hasil component H.2 is 14
    And WBK threshold "pelayanan_prima" is met

  Scenario: A survey score just under it misses by the difference
    When the service-quality perception survey H.2.a is 3.19 and the worksheet is scored
    Then WBK threshold "pelayanan_prima" is not met, short by 0.04375
    And the verdict reads:
      """
      belum memenuhi syarat Wilayah Bebas dari Korupsi (WBK); ambang yang belum tercapai:
        - Hasil pelayanan publik yang prima: 13.96 (minimal 14.00; kurang 0.04)
      """

  Scenario: WBBM is decided too, but always says its thresholds are not confirmed
    When the worksheet is scored
    Then the unit meets WBBM
    And the WBBM verdict ends with "ambang batas Wilayah Birokrasi Bersih dan Melayani (WBBM) belum dikonfirmasi; hasil ini hanya indikatif"
    And in English the WBBM verdict ends with "the Clean and Serving Bureaucracy Area (WBBM) thresholds are not confirmed; this result is only indicative"
