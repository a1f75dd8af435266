Feature: Invalid instrument parts for components, counts and formulas are reported
  Loading an instrument validates the new parts fully: every problem is
  listed at once with its file, line and path.

  Background:
    Given a copy of the instrument "zi-2021"
    And the language is English

  Scenario: A formula that refers to an unknown criterion
    When in "07-r-mp.yaml" the formula of R.MP.1.a takes its numerator from "R.MP.1.a.9"
    Then loading fails with "07-r-mp.yaml:21: subareas[0].criteria[0].formula.numerator: refers to unknown criterion 'R.MP.1.a.9'"

  Scenario: A formula that refers to a scored item instead of a count
    When in "07-r-mp.yaml" the formula of R.MP.1.a takes its numerator from "R.MP.2.a"
    Then loading fails with "subareas[0].criteria[0].formula.numerator: refers to 'R.MP.2.a', which is not a count (a count input or a sum of counts)"

  Scenario: Components that do not add up to the Pengungkit total
    When in "instrument.yaml" component R weighs 25
    Then loading fails with "instrument.yaml:57: components: component weights add up to 55, not pengungkit_total 60"
    And loading fails with "instrument.yaml:65: components[1].weight: areas of component R add up to 30, not its weight 25"

  Scenario: Areas that do not add up to their component
    When in "07-r-mp.yaml" the area belongs to component "P"
    Then loading fails with "components[0].weight: areas of component P add up to 34, not its weight 30"
    And loading fails with "components[1].weight: areas of component R add up to 26, not its weight 30"

  Scenario: A count marked as scored
    When in "07-r-mp.yaml" item R.MP.1.a.1 is marked scored
    Then loading fails with "07-r-mp.yaml:33: subareas[0].criteria[1].scored: a count is an input, not a value; it cannot be scored"

  Scenario: A percentage without a formula, and one without its both-zero value
    When in "07-r-mp.yaml" item R.MP.1.a loses its formula
    And in "09-r-sdm.yaml" the formula of R.SDM.3.a loses "when_both_zero"
    Then loading fails with "subareas[0].criteria[0]: a computed item (%) needs a 'formula'"
    And loading fails with "subareas[2].criteria[0].formula: a decrease formula must declare 'when_both_zero'"

  Scenario: A cap above 1
    When in "07-r-mp.yaml" the formula of R.MP.1.a is capped at 1.5
    Then loading fails with "subareas[0].criteria[0].formula.cap: cap must be within 0.001..1 with at most 3 decimals, got 1.5"

  Scenario: A threshold over an unknown area group
    When in "instrument.yaml" the WBK area threshold targets "XX"
    Then loading fails with "predicates[0].thresholds[2].target: expected an area group id ['AKT', 'MP', 'PP', 'PWS', 'SDM', 'TL'] or '*', got 'XX'"
